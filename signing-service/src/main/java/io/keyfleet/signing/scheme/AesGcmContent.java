package io.keyfleet.signing.scheme;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for Keyfleet's own payloads: a random 96-bit IV per message and a 128-bit tag; the result is
 * {@code base64(iv || ciphertext || tag)}. Associated data (e.g. a tenant and purpose) is authenticated, not encrypted.
 */
public final class AesGcmContent {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AesGcmContent() {
    }

    public static String encrypt(byte[] key, byte[] plaintext, byte[] associatedData) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, iv, associatedData);
            byte[] sealed = cipher.doFinal(plaintext);
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The plaintext; a wrong key, changed bytes or different associated data fail with {@link MalformedMessageException}. */
    public static byte[] decrypt(byte[] key, String base64Sealed, byte[] associatedData) {
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(base64Sealed);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("ciphertext is not base64");
        }
        if (sealed.length < IV_BYTES + TAG_BITS / 8) {
            throw new MalformedMessageException("ciphertext is too short to be AES-GCM");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, java.util.Arrays.copyOf(sealed, IV_BYTES), associatedData);
            return cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (AEADBadTagException e) {
            throw new MalformedMessageException("ciphertext failed authentication");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] iv, byte[] associatedData) throws GeneralSecurityException {
        if (key.length != 32) {
            throw new IllegalArgumentException("AES-256-GCM needs a 32-byte key");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
        if (associatedData != null) {
            cipher.updateAAD(associatedData);
        }
        return cipher;
    }
}
