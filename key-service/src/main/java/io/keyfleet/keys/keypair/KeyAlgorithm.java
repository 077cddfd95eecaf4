package io.keyfleet.keys.keypair;

public enum KeyAlgorithm {
    RSA_2048("RSA", 2048);

    public final String jcaName;
    public final int keySize;

    KeyAlgorithm(String jcaName, int keySize) {
        this.jcaName = jcaName;
        this.keySize = keySize;
    }
}
