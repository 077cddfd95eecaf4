package io.keyfleet.signing.crypto;

import io.keyfleet.signing.scheme.MessageSigner;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 with one secret, one {@link Mac} per thread. */
public final class HmacSigner implements MessageSigner {

    private final int keyVersion;
    private final ThreadLocal<Mac> macs;

    public HmacSigner(int keyVersion, byte[] secret) {
        this.keyVersion = keyVersion;
        SecretKeySpec key = new SecretKeySpec(secret, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public int keyVersion() {
        return keyVersion;
    }

    @Override
    public byte[] sign(byte[] content) {
        return macs.get().doFinal(content);
    }

    /** Constant-time comparison with a presented MAC. */
    public boolean verify(byte[] content, byte[] presented) {
        return MessageDigest.isEqual(sign(content), presented);
    }
}
