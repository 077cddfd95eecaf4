package io.keyfleet.signing.scheme;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Content encryption as Alipay's OpenAPI expects it ({@code encrypt_type=AES}): AES/CBC/PKCS5Padding with an
 * all-zero IV, key and result in base64. For compatibility with Alipay only: a fixed IV leaks equal prefixes of
 * equal plaintexts and there is no integrity check. Our own payloads use {@link AesGcmContent}.
 */
public final class AlipayAesContent {

    private static final String TRANSFORMATION = "AES/CBC/PKCS5Padding";
    private static final byte[] ZERO_IV = new byte[16];

    private AlipayAesContent() {
    }

    public static String encrypt(String plaintext, String base64Key) {
        return Base64.getEncoder().encodeToString(run(Cipher.ENCRYPT_MODE, base64Key, plaintext.getBytes(StandardCharsets.UTF_8)));
    }

    public static String decrypt(String base64Ciphertext, String base64Key) {
        byte[] ciphertext;
        try {
            ciphertext = Base64.getDecoder().decode(base64Ciphertext);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("ciphertext is not base64");
        }
        return new String(run(Cipher.DECRYPT_MODE, base64Key, ciphertext), StandardCharsets.UTF_8);
    }

    private static byte[] run(int mode, String base64Key, byte[] input) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("the AES key is not base64");
        }
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new MalformedMessageException("the AES key must be 16, 24 or 32 bytes");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(ZERO_IV));
            return cipher.doFinal(input);
        } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
            throw new MalformedMessageException("the ciphertext does not decrypt with this key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
