package io.keyfleet.tokens.crypto;

import io.keyfleet.kit.crypto.VersionedKeys;
import java.util.Base64;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;

/**
 * The token keys: AES-256 keys with ids. The active one encrypts, every one listed decrypts. Configured either as one
 * base64 key, which is key {@value #LEGACY_KEY_ID} (the only form before key ids), or as {@code <id>:<base64 of 32
 * bytes>} entries separated by commas or newlines. The active key is the highest id unless
 * {@code keyfleet.tokens.encryption-key-active} names another. Never prints key material.
 */
public final class TokenKeys {

    /** The key of a single-key configuration, and of every token stored before key ids existed. */
    public static final int LEGACY_KEY_ID = 1;

    private final NavigableMap<Integer, SecretKey> keys;
    private final int activeId;

    private TokenKeys(NavigableMap<Integer, SecretKey> keys, int activeId) {
        this.keys = keys;
        this.activeId = activeId;
    }

    /**
     * Parses {@code text}; {@code source} names where it came from in error messages (which never quote a key).
     * {@code active}: the id to encrypt with, when not the highest.
     */
    public static TokenKeys parse(String text, String source, Optional<Integer> active) {
        String stripped = text.strip();
        NavigableMap<Integer, SecretKey> keys;
        if (stripped.contains(":")) {
            keys = VersionedKeys.parse(stripped, source, "Token key", "id");
        } else {
            requireBareKey(stripped, source);
            keys = VersionedKeys.parse(LEGACY_KEY_ID + ":" + stripped, source, "Token key", "id");
        }
        int activeId = active.orElse(keys.lastKey());
        if (!keys.containsKey(activeId)) {
            throw new IllegalArgumentException("keyfleet.tokens.encryption-key-active (KEYFLEET_TOKENS_KEY_ACTIVE) is " + activeId
                    + ", which is not among the token keys of " + source + " (ids " + keys.keySet() + ")");
        }
        return new TokenKeys(keys, activeId);
    }

    private static void requireBareKey(String text, String source) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            bytes = null;
        }
        if (bytes == null || bytes.length != VersionedKeys.KEY_BYTES) {
            throw new IllegalArgumentException("The token key in " + source + " must be base64 of " + VersionedKeys.KEY_BYTES
                    + " bytes (AES-256), or '<id>:<base64 of " + VersionedKeys.KEY_BYTES + " bytes>' entries separated by commas");
        }
    }

    public int activeId() {
        return activeId;
    }

    SecretKey active() {
        return keys.get(activeId);
    }

    Optional<SecretKey> key(int id) {
        return Optional.ofNullable(keys.get(id));
    }

    public Set<Integer> ids() {
        return keys.keySet();
    }

    @Override
    public String toString() {
        return "TokenKeys{ids=" + keys.keySet() + ", active=" + activeId + "}";
    }
}
