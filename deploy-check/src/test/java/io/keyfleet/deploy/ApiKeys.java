package io.keyfleet.deploy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The published shape of Keyfleet API keys, checked the way a secret scanner does (key-service refuses service keys
 * that do not have it): {@code kf_live_|kf_test_}, 40 base62 characters, then the CRC32 of everything before as
 * 6 base62 characters. Once auth-contracts is on this branch, its ApiKeyFormat.isWellFormed can replace this.
 */
final class ApiKeys {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private ApiKeys() {
    }

    static boolean isWellFormed(String key) {
        if (key == null || !key.matches("kf_(live|test)_[0-9A-Za-z]{46}")) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(key.substring(0, key.length() - 6).getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] checksum = new char[6];
        for (int i = 5; i >= 0; i--) {
            checksum[i] = BASE62.charAt((int) (value % 62));
            value /= 62;
        }
        return key.endsWith(new String(checksum));
    }

    /** {@code service:key,service:key} into service to key. */
    static Map<String, String> servicePairs(String text) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            int colon = pair.indexOf(':');
            if (colon < 1) {
                throw new AssertionError("'" + pair + "' is not service-name:apikey");
            }
            pairs.put(pair.substring(0, colon).strip(), pair.substring(colon + 1).strip());
        }
        return pairs;
    }
}
