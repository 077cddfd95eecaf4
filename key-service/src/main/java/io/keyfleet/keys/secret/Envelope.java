package io.keyfleet.keys.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of one secret version: a fresh AES-256 data key encrypts the secret (AES-GCM, random 96-bit
 * IV); the master key wraps the data key (AES-GCM again, its own random IV, stored as {@code iv || ciphertext+tag}).
 * Both carry associated data naming the path and version (the wrap also the master key version), so a row's
 * material moved to another row, or another version, fails authentication instead of decrypting.
 */
final class Envelope {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    record Sealed(byte[] wrappedDataKey, byte[] iv, byte[] ciphertext) {
    }

    /** Why opening failed; the adapter turns it into a message. */
    static final class OpenFailure extends Exception {
        final boolean unwrap;

        OpenFailure(boolean unwrap, Throwable cause) {
            super(cause);
            this.unwrap = unwrap;
        }
    }

    private Envelope() {
    }

    static Sealed seal(SecretKey master, int masterVersion, String path, int version, byte[] secret) {
        byte[] dataKey = new byte[32];
        RANDOM.nextBytes(dataKey);
        try {
            byte[] iv = randomIv();
            byte[] ciphertext = gcm(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), iv, secretAad(path, version), secret);
            return new Sealed(wrap(master, masterVersion, path, version, dataKey), iv, ciphertext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    static byte[] open(SecretKey master, int masterVersion, String path, int version, Sealed sealed) throws OpenFailure {
        byte[] dataKey = unwrap(master, masterVersion, path, version, sealed.wrappedDataKey());
        try {
            return gcm(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), sealed.iv(), secretAad(path, version), sealed.ciphertext());
        } catch (AEADBadTagException e) {
            throw new OpenFailure(false, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** The same data key wrapped by another master key version; the secret's ciphertext does not change. */
    static byte[] rewrap(SecretKey from, int fromVersion, SecretKey to, int toVersion, String path, int version,
                         byte[] wrappedDataKey) throws OpenFailure {
        byte[] dataKey = unwrap(from, fromVersion, path, version, wrappedDataKey);
        try {
            return wrap(to, toVersion, path, version, dataKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private static byte[] wrap(SecretKey master, int masterVersion, String path, int version, byte[] dataKey)
            throws GeneralSecurityException {
        byte[] iv = randomIv();
        byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, master, iv, wrapAad(path, version, masterVersion), dataKey);
        return ByteBuffer.allocate(IV_BYTES + wrapped.length).put(iv).put(wrapped).array();
    }

    private static byte[] unwrap(SecretKey master, int masterVersion, String path, int version, byte[] wrappedDataKey)
            throws OpenFailure {
        if (wrappedDataKey == null || wrappedDataKey.length <= IV_BYTES) {
            throw new OpenFailure(true, null);
        }
        try {
            return gcm(Cipher.DECRYPT_MODE, master, Arrays.copyOf(wrappedDataKey, IV_BYTES), wrapAad(path, version, masterVersion),
                    Arrays.copyOfRange(wrappedDataKey, IV_BYTES, wrappedDataKey.length));
        } catch (AEADBadTagException e) {
            throw new OpenFailure(true, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static byte[] gcm(int mode, SecretKey key, byte[] iv, byte[] aad, byte[] input) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(aad);
        return cipher.doFinal(input);
    }

    private static byte[] randomIv() {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        return iv;
    }

    private static byte[] secretAad(String path, int version) {
        return ("keyfleet/secret/v1\0" + path + "\0" + version).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] wrapAad(String path, int version, int masterVersion) {
        return ("keyfleet/data-key/v1\0" + path + "\0" + version + "\0" + masterVersion).getBytes(StandardCharsets.UTF_8);
    }
}
