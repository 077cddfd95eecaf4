package io.keyfleet.kit.crypto;

import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Numbered AES-256 keys as an operator configures them (key-service's master keys, token-service's token keys):
 * {@code <number>:<base64 of 32 bytes>} entries separated by newlines or commas; blank lines and lines starting with
 * {@code #} are skipped. Error messages name the entry's position and the source, never its content.
 */
public final class VersionedKeys {

    public static final int KEY_BYTES = 32;
    private static final Pattern ENTRY = Pattern.compile("(\\d{1,9}):([A-Za-z0-9+/=_-]+)");

    private VersionedKeys() {
    }

    /**
     * The keys by number, at least one. {@code what} names them in messages ("Master key"), {@code number} their
     * number ("version").
     */
    public static NavigableMap<Integer, SecretKey> parse(String text, String source, String what, String number) {
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
                throw new IllegalArgumentException(what + " entry " + (i + 1) + " of " + source
                        + " is not '<" + number + ">:<base64 of " + KEY_BYTES + " bytes>'");
            }
            int n = Integer.parseInt(match.group(1));
            if (n < 1 || keys.containsKey(n)) {
                throw new IllegalArgumentException(what + " entry " + (i + 1) + " of " + source
                        + (n < 1 ? " has " + number + " " + n + "; " + number + "s start at 1" : " repeats " + number + " " + n));
            }
            keys.put(n, new SecretKeySpec(bytes, "AES"));
            Arrays.fill(bytes, (byte) 0);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("No " + what.toLowerCase(java.util.Locale.ROOT) + " in " + source);
        }
        return Collections.unmodifiableNavigableMap(keys);
    }

    /**
     * The key text of each entry ({@code <number>:} dropped where present), valid or not: for checks that must see
     * every configured value, such as the refusal of published keys at a prod start.
     */
    public static java.util.List<String> material(String text) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (String entry : text.split("[,\\n]")) {
            String stripped = entry.strip();
            if (!stripped.isEmpty() && !stripped.startsWith("#")) {
                keys.add(stripped.substring(stripped.indexOf(':') + 1).strip());
            }
        }
        return keys;
    }
}
