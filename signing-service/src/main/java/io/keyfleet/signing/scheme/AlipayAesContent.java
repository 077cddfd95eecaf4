package io.keyfleet.signing.scheme;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Content encryption as Alipay's OpenAPI and alipay-sdk-java's {@code AlipayEncrypt} do it, key and result in base64:
 * <ul>
 *   <li>{@link Type#AES} ({@code encrypt_type=AES}): AES/CBC/PKCS5Padding with an all-zero IV; the result is the
 *   ciphertext.</li>
 *   <li>{@link Type#AES_V2}: the same with a random IV, the result is {@code iv || ciphertext}.</li>
 * </ul>
 * The plaintext is turned into bytes with the request's charset ({@link String#getBytes(Charset)}, which writes '?' for
 * what the charset cannot hold) and back with it ({@code new String(bytes, charset)}, which writes U+FFFD for bytes that
 * do not decode), exactly as the SDK does. For compatibility with Alipay only: the fixed IV of AES leaks equal prefixes of
 * equal plaintexts and neither has an integrity check. Our own payloads use {@link AesGcmContent}.
 */
public final class AlipayAesContent {

    /** The SDK's encryptType names. */
    public enum Type {
        AES, AES_V2
    }

    private static final String TRANSFORMATION = "AES/CBC/PKCS5Padding";
    private static final int BLOCK = 16;
    private static final byte[] ZERO_IV = new byte[BLOCK];
    private static final SecureRandom RANDOM = new SecureRandom();

    private AlipayAesContent() {
    }

    public static String encrypt(String plaintext, byte[] key, Charset charset, Type type) {
        byte[] input = plaintext.getBytes(charset);
        if (type == Type.AES) {
            return Base64.getEncoder().encodeToString(run(Cipher.ENCRYPT_MODE, key, ZERO_IV, input, 0, input.length));
        }
        byte[] iv = new byte[BLOCK];
        RANDOM.nextBytes(iv);
        byte[] sealed = run(Cipher.ENCRYPT_MODE, key, iv, input, 0, input.length);
        byte[] out = new byte[BLOCK + sealed.length];
        System.arraycopy(iv, 0, out, 0, BLOCK);
        System.arraycopy(sealed, 0, out, BLOCK, sealed.length);
        return Base64.getEncoder().encodeToString(out);
    }

    /**
     * The ciphertext's bytes, checked for shape before any key is tried: {@link MalformedMessageException} when it cannot be
     * one (not base64, or not whole blocks).
     */
    public static byte[] ciphertextBytes(String base64Ciphertext, Type type) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Ciphertext);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("ciphertext is not base64");
        }
        // no blocks at all decrypt to the empty text, as in the SDK (the JDK's cipher checks no padding then)
        int body = type == Type.AES ? raw.length : raw.length - BLOCK;
        if (body < 0 || body % BLOCK != 0) {
            throw new MalformedMessageException("ciphertext must be " + (type == Type.AES ? "" : "a 16-byte IV followed by ")
                    + "whole 16-byte AES blocks, not " + raw.length + " bytes");
        }
        return raw;
    }

    /** The plaintext's bytes, or null when the padding is wrong under this key (a wrong key or changed bytes). */
    public static byte[] decrypt(byte[] ciphertext, byte[] key, Type type) {
        try {
            return type == Type.AES ? run(Cipher.DECRYPT_MODE, key, ZERO_IV, ciphertext, 0, ciphertext.length)
                    : run(Cipher.DECRYPT_MODE, key, java.util.Arrays.copyOf(ciphertext, BLOCK), ciphertext, BLOCK, ciphertext.length - BLOCK);
        } catch (BadPaddingFailure e) {
            return null;
        }
    }

    /** UTF-8 and AES, the key in base64: for tests and golden vectors. */
    public static String encrypt(String plaintext, String base64Key) {
        return encrypt(plaintext, Base64.getDecoder().decode(base64Key), StandardCharsets.UTF_8, Type.AES);
    }

    /** UTF-8 and AES, the key in base64: for tests and golden vectors. */
    public static String decrypt(String base64Ciphertext, String base64Key) {
        byte[] plaintext = decrypt(ciphertextBytes(base64Ciphertext, Type.AES), Base64.getDecoder().decode(base64Key), Type.AES);
        if (plaintext == null) {
            throw new MalformedMessageException("the ciphertext does not decrypt with this key");
        }
        return new String(plaintext, StandardCharsets.UTF_8);
    }

    private static final class BadPaddingFailure extends RuntimeException {
        BadPaddingFailure() {
            super(null, null, false, false);
        }
    }

    private static byte[] run(int mode, byte[] key, byte[] iv, byte[] input, int offset, int length) {
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new MalformedMessageException("the AES key must be 16, 24 or 32 bytes");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(input, offset, length);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            throw new BadPaddingFailure();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
