package io.keyfleet.signing.scheme;

/** Signs bytes with one key version; the key-cache's signers keep the parsed key and reuse Signature objects. */
public interface MessageSigner {

    /** The key version that signs, as the scheme may have to name it (Antom's keyVersion). */
    int keyVersion();

    byte[] sign(byte[] content);
}
