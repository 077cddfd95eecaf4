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
import org.jboss.logging.Logger;

/**
 * Tokens at rest: AES-256-GCM with a random 96-bit IV, under one of the {@link TokenKeys}; new values under the active
 * key. Which key a grant's values are under is in its row ({@code token_grant.token_key_id}).
 *
 * <ul>
 * <li>Under key {@value TokenKeys#LEGACY_KEY_ID} a value is {@code iv ‖ ciphertext ‖ tag} with {@code grantId/field} as
 * associated data, exactly as before key ids existed, so that replicas of that version still read what this one writes
 * while an upgrade rolls.</li>
 * <li>Under any other key a value is {@code 0x01 ‖ key id (4 bytes) ‖ iv ‖ ciphertext ‖ tag}, and the associated data
 * names the format, the key id, the grant and the field.</li>
 * </ul>
 * Either way a value copied to another grant or column, or one whose key id was changed (in the value or in its row),
 * does not decrypt.
 */
@ApplicationScoped
public class TokenCipher {

    private static final Logger LOG = Logger.getLogger(TokenCipher.class);
    private static final byte FORMAT = 1;
    private static final int HEADER_BYTES = 1 + Integer.BYTES;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String KEY_SETTING = "keyfleet.tokens.encryption-key (KEYFLEET_TOKENS_KEY)";

    private final SecureRandom random = new SecureRandom();
    private TokenKeys keys;

    TokenCipher() {
    }

    @Inject
    public TokenCipher(TokensConfig config) {
        this(config.encryptionKey().isPresent()
                ? TokenKeys.parse(config.encryptionKey().get(), KEY_SETTING, config.encryptionKeyActive())
                : TokenKeys.parse(keyFromFile(config.encryptionKeyFile()), config.encryptionKeyFile().toString(),
                        config.encryptionKeyActive()));
    }

    public TokenCipher(TokenKeys keys) {
        this.keys = keys;
    }

    public TokenKeys keys() {
        return keys;
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

    /** {@code plain} encrypted under the active key ({@link TokenKeys#activeId()}: store it with the value). */
    public byte[] encrypt(String plain, String grantId, String field) {
        if (plain == null) {
            return null;
        }
        int keyId = keys.activeId();
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        byte[] sealed;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.active(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(keyId, grantId, field));
            sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("token encryption failed", e);
        }
        if (keyId == TokenKeys.LEGACY_KEY_ID) {
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        }
        return ByteBuffer.allocate(HEADER_BYTES + IV_BYTES + sealed.length).put(FORMAT).putInt(keyId).put(iv).put(sealed).array();
    }

    /** A value stored under key {@code keyId} (its row's {@code token_key_id}). */
    public String decrypt(byte[] stored, int keyId, String grantId, String field) {
        if (stored == null) {
            return null;
        }
        SecretKey key = keys.key(keyId).orElseThrow(() -> new IllegalStateException("the tokens of grant " + grantId
                + " are under token key " + keyId + ", which is not configured (" + KEY_SETTING + " has ids " + keys.ids() + ")"));
        int offset = keyId == TokenKeys.LEGACY_KEY_ID ? 0 : HEADER_BYTES;
        if (stored.length < offset + IV_BYTES + TAG_BITS / 8 || (offset > 0 && (stored[0] != FORMAT
                || ByteBuffer.wrap(stored, 1, Integer.BYTES).getInt() != keyId))) {
            throw new IllegalStateException("a stored token of grant " + grantId + " does not name token key " + keyId
                    + ", the key its row names");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, offset, IV_BYTES));
            cipher.updateAAD(aad(keyId, grantId, field));
            return new String(cipher.doFinal(stored, offset + IV_BYTES, stored.length - offset - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored token of grant " + grantId + " does not decrypt with token key " + keyId);
        }
    }

    private static byte[] aad(int keyId, String grantId, String field) {
        String aad = keyId == TokenKeys.LEGACY_KEY_ID ? grantId + "/" + field
                : "keyfleet/token/" + FORMAT + "\0" + keyId + "\0" + grantId + "\0" + field;
        return aad.getBytes(StandardCharsets.UTF_8);
    }
}
