package io.keyfleet.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The format of bearer API keys, recognisable offline by secret scanners:
 *
 * <pre>
 *   kf_live_ | kf_test_   type prefix: live for production integrations, test for anything else
 *   40 characters         random body, base62 [0-9A-Za-z] from SecureRandom (about 238 bits)
 *   6 characters          checksum: CRC32 of (prefix + body) as ASCII, in base62, left-padded with '0'
 * </pre>
 *
 * e.g. {@code kf_live_7Qy0…(40)…aZ0k3q}: 54 characters in all, matching {@code kf_(live|test)_[0-9A-Za-z]{46}}.
 * A scanner verifies a candidate by recomputing the CRC32 over everything before the last 6 characters.
 * The checksum only tells real keys from look-alikes and typos; it proves nothing about validity.
 */
public final class ApiKeyFormat {

    public static final String LIVE_PREFIX = "kf_live_";
    public static final String TEST_PREFIX = "kf_test_";
    public static final int BODY_LENGTH = 40;
    public static final int CHECKSUM_LENGTH = 6;
    public static final int LENGTH = LIVE_PREFIX.length() + BODY_LENGTH + CHECKSUM_LENGTH;
    /** How much of a key is kept and shown to recognise it: the type prefix and 4 body characters. */
    public static final int DISPLAY_PREFIX_LENGTH = LIVE_PREFIX.length() + 4;

    static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeyFormat() {
    }

    public static String generate(boolean live) {
        String head = (live ? LIVE_PREFIX : TEST_PREFIX) + randomBase62(BODY_LENGTH);
        return head + checksum(head);
    }

    /** Whether the text has the shape of a Keyfleet API key and its checksum matches. */
    public static boolean isWellFormed(String key) {
        if (key == null || key.length() != LENGTH || !(key.startsWith(LIVE_PREFIX) || key.startsWith(TEST_PREFIX))) {
            return false;
        }
        for (int i = LIVE_PREFIX.length(); i < LENGTH; i++) {
            if (BASE62.indexOf(key.charAt(i)) < 0) {
                return false;
            }
        }
        String head = key.substring(0, LENGTH - CHECKSUM_LENGTH);
        return checksum(head).equals(key.substring(LENGTH - CHECKSUM_LENGTH));
    }

    public static Optional<Boolean> isLive(String key) {
        if (!isWellFormed(key)) {
            return Optional.empty();
        }
        return Optional.of(key.startsWith(LIVE_PREFIX));
    }

    public static String displayPrefix(String key) {
        return key.substring(0, DISPLAY_PREFIX_LENGTH);
    }

    /** CRC32 of the ASCII text as 6 base62 characters (62^6 > 2^32), left-padded with '0'. */
    static String checksum(String head) {
        CRC32 crc = new CRC32();
        crc.update(head.getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] out = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            out[i] = BASE62.charAt((int) (value % 62));
            value /= 62;
        }
        return new String(out);
    }

    public static String randomBase62(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(BASE62.charAt(RANDOM.nextInt(62)));
        }
        return out.toString();
    }
}
