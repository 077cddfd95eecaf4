package io.keyfleet.keys.secret;

import io.keyfleet.kit.crypto.VersionedKeys;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.SecretKey;

/**
 * The versioned AES-256 master keys of the {@code local} backend. The active version wraps new data keys; every
 * loaded version still unwraps. Never prints key material.
 */
public final class MasterKeys {

    static final int KEY_BYTES = VersionedKeys.KEY_BYTES;

    private final NavigableMap<Integer, SecretKey> keys;
    private final int activeVersion;

    MasterKeys(Map<Integer, SecretKey> keys, int activeVersion) {
        if (!keys.containsKey(activeVersion)) {
            throw new IllegalArgumentException("Active master key version " + activeVersion + " is not among the keys");
        }
        this.keys = Collections.unmodifiableNavigableMap(new TreeMap<>(keys));
        this.activeVersion = activeVersion;
    }

    /**
     * Parses {@code <version>:<base64 of 32 bytes>} entries separated by newlines or commas; blank lines and lines
     * starting with {@code #} are skipped ({@link VersionedKeys}). The highest version is active. Error messages name
     * the entry's position and {@code source}, never its content.
     */
    public static MasterKeys parse(String text, String source) {
        NavigableMap<Integer, SecretKey> keys = VersionedKeys.parse(text, source, "Master key", "version");
        return new MasterKeys(keys, keys.lastKey());
    }

    public int activeVersion() {
        return activeVersion;
    }

    SecretKey active() {
        return keys.get(activeVersion);
    }

    Optional<SecretKey> version(int version) {
        return Optional.ofNullable(keys.get(version));
    }

    public Set<Integer> versions() {
        return keys.keySet();
    }

    /** A copy with one more version (tests, and building a key ring for a rewrap). */
    MasterKeys with(int version, SecretKey key, boolean makeActive) {
        TreeMap<Integer, SecretKey> copy = new TreeMap<>(keys);
        copy.put(version, key);
        return new MasterKeys(copy, makeActive ? version : activeVersion);
    }

    /** The same keys with another active version (tests, and undoing a rewrap). */
    MasterKeys activating(int version) {
        return new MasterKeys(keys, version);
    }

    @Override
    public String toString() {
        return "MasterKeys{versions=" + keys.keySet() + ", active=" + activeVersion + "}";
    }
}
