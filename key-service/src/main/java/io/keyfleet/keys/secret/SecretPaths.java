package io.keyfleet.keys.secret;

import java.util.regex.Pattern;

/** Argument checks shared by the adapters. */
final class SecretPaths {

    private static final Pattern SEGMENT = Pattern.compile("[a-zA-Z0-9_.-]+");
    private static final int MAX_LENGTH = 512;

    private SecretPaths() {
    }

    static void check(String path, int version) {
        if (path == null || path.isEmpty() || path.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("A secret path must have 1 to " + MAX_LENGTH + " characters");
        }
        for (String segment : path.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || path.contains("..")) {
                throw new IllegalArgumentException("Invalid secret path '" + printable(path) + "': use [a-zA-Z0-9_.-]"
                        + " segments separated by single '/', no '..' and no '.' segment, no leading or trailing '/'");
            }
        }
        if (version < 1) {
            throw new IllegalArgumentException("Secret versions start at 1, got " + version);
        }
    }

    static void checkSecret(byte[] secret) {
        if (secret == null || secret.length == 0) {
            throw new IllegalArgumentException("A secret must have at least one byte");
        }
    }

    private static String printable(String path) {
        String cut = path.length() > 80 ? path.substring(0, 80) + "…" : path;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
