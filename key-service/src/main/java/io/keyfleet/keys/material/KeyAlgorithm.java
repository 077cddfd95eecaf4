package io.keyfleet.keys.material;

/** The key types keyfleet generates and accepts. RSA-2048 is the default (what Alipay/Antom ask for). */
public enum KeyAlgorithm {
    RSA_2048("RSA", 2048, "SHA256withRSA"),
    RSA_3072("RSA", 3072, "SHA256withRSA"),
    RSA_4096("RSA", 4096, "SHA256withRSA"),
    EC_P256("EC", 256, "SHA256withECDSA"),
    ED25519("Ed25519", 256, "Ed25519");

    private final String family;
    private final int keySize;
    private final String jcaSignatureAlgorithm;

    KeyAlgorithm(String family, int keySize, String jcaSignatureAlgorithm) {
        this.family = family;
        this.keySize = keySize;
        this.jcaSignatureAlgorithm = jcaSignatureAlgorithm;
    }

    /** "RSA", "EC" or "Ed25519"; also the JCA name for {@code KeyPairGenerator} and {@code KeyFactory}. */
    public String family() {
        return family;
    }

    public boolean isRsa() {
        return "RSA".equals(family);
    }

    /** Modulus size for RSA, field size for EC P-256 and Ed25519 (256). */
    public int keySize() {
        return keySize;
    }

    public String jcaSignatureAlgorithm() {
        return jcaSignatureAlgorithm;
    }

    /** The RSA algorithm of that modulus size, if it is one of ours. */
    static KeyAlgorithm rsa(int bits) {
        for (KeyAlgorithm a : values()) {
            if (a.isRsa() && a.keySize == bits) {
                return a;
            }
        }
        return null;
    }
}
