package io.keyfleet.tokens.crypto;

import io.keyfleet.tokens.support.TokensConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Tokens at rest: AES-256-GCM, a random 96-bit IV per value, stored as {@code iv ‖ ciphertext ‖ tag}. The grant id and
 * the field name are the associated data, so a value copied to another grant or column does not decrypt.
 */
@ApplicationScoped
public class TokenCipher {

    private static final Logger LOG = Logger.getLogger(TokenCipher.class);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private SecretKey key;

    TokenCipher() {
    }

    @Inject
    public TokenCipher(TokensConfig config) {
        this(config.encryptionKey().orElseGet(() -> keyFromFile(config.encryptionKeyFile())));
    }

    /** The key kept in a file, made on first start when there is none (a local suite; production sets the key). */
    static String keyFromFile(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII).trim();
            }
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            String key = Base64.getEncoder().encodeToString(raw);
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temp = Files.createTempFile(parent, ".token-key", ".tmp");
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions protect it
            }
            Files.writeString(temp, key, StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            LOG.warnf("No KEYFLEET_TOKENS_KEY given: generated a token encryption key in %s. Production sets KEYFLEET_TOKENS_KEY.",
                    file.toAbsolutePath());
            return key;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the token encryption key file " + file.toAbsolutePath()
                    + "; set KEYFLEET_TOKENS_KEY", e);
        }
    }

    public TokenCipher(String base64Key) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("keyfleet.tokens.encryption-key (KEYFLEET_TOKENS_KEY) must be base64");
        }
        if (raw.length != 32) {
            throw new IllegalStateException("keyfleet.tokens.encryption-key (KEYFLEET_TOKENS_KEY) must be 32 bytes (AES-256), base64");
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    public byte[] encrypt(String plain, String grantId, String field) {
        if (plain == null) {
            return null;
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(grantId, field));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("token encryption failed", e);
        }
    }

    public String decrypt(byte[] stored, String grantId, String field) {
        if (stored == null) {
            return null;
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, IV_BYTES));
            cipher.updateAAD(aad(grantId, field));
            return new String(cipher.doFinal(stored, IV_BYTES, stored.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored token of grant " + grantId + " does not decrypt with the configured key");
        }
    }

    private static byte[] aad(String grantId, String field) {
        return (grantId + "/" + field).getBytes(StandardCharsets.UTF_8);
    }
}
