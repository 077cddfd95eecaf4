package io.keyfleet.keys.secret;

import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The versioned AES-256 master keys of the {@code local} backend. The active version wraps new data keys; every
 * loaded version still unwraps. Never prints key material.
 */
public final class MasterKeys {

    static final int KEY_BYTES = 32;
    private static final Pattern ENTRY = Pattern.compile("(\\d{1,9}):([A-Za-z0-9+/=_-]+)");

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
     * starting with {@code #} are skipped. The highest version is active. Error messages name the entry's position
     * and {@code source}, never its content.
     */
    public static MasterKeys parse(String text, String source) {
        TreeMap<Integer, SecretKey> keys = new TreeMap<>();
        String[] entries = text.split("[,\\n]");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            var match = ENTRY.matcher(entry);
            byte[] bytes = null;
            try {
                if (match.matches()) {
                    bytes = Base64.getMimeDecoder().decode(match.group(2).replace('-', '+').replace('_', '/'));
                }
            } catch (IllegalArgumentException e) {
                bytes = null;
            }
            if (bytes == null || bytes.length != KEY_BYTES) {
                throw new IllegalArgumentException("Master key entry " + (i + 1) + " of " + source
                        + " is not '<version>:<base64 of " + KEY_BYTES + " bytes>'");
            }
            int version = Integer.parseInt(match.group(1));
            if (version < 1 || keys.containsKey(version)) {
                throw new IllegalArgumentException("Master key entry " + (i + 1) + " of " + source
                        + (version < 1 ? " has version " + version + "; versions start at 1" : " repeats version " + version));
            }
            keys.put(version, new SecretKeySpec(bytes, "AES"));
            Arrays.fill(bytes, (byte) 0);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("No master key in " + source);
        }
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
