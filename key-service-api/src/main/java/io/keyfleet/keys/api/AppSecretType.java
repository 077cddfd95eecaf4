package io.keyfleet.keys.api;

import java.util.Set;

/**
 * What an app secret is for, and the lengths it may have. AES: the content encryption key a provider gives the app
 * (Alipay's encrypt_key, AES-128 from its console; 192 and 256 bits work too), generated as 128 bits. HMAC_SHA256: the
 * secret of the keyfleet-hmac scheme, generated as 256 bits; one given must have 16 to 64 bytes.
 */
public enum AppSecretType {
    AES(16, Set.of(16, 24, 32)),
    HMAC_SHA256(32, null);

    private final int generatedBytes;
    private final Set<Integer> allowedBytes;

    AppSecretType(int generatedBytes, Set<Integer> allowedBytes) {
        this.generatedBytes = generatedBytes;
        this.allowedBytes = allowedBytes;
    }

    public int generatedBytes() {
        return generatedBytes;
    }

    public boolean allows(int bytes) {
        return allowedBytes != null ? allowedBytes.contains(bytes) : bytes >= 16 && bytes <= 64;
    }

    public String allowedLengths() {
        return allowedBytes != null ? "16, 24 or 32 bytes (AES-128, -192 or -256)" : "16 to 64 bytes";
    }
}
