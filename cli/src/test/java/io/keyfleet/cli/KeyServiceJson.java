package io.keyfleet.cli;

/** Answers shaped like key-service's, for the tests that run without it. The keys in them are not real keys. */
final class KeyServiceJson {

    static final String KEY_ID = "5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f";
    static final String PUBLIC_KEY_BASE64 = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAstubPublicKey";
    static final String FINGERPRINT = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final String PRIVATE_KEY_PEM =
            "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCstubPrivateKey\n-----END PRIVATE KEY-----\n";

    private KeyServiceJson() {
    }

    /** What POST /v1/keys, /rotate and /versions answer: the new version with its private key. */
    static String newVersion(int version, String state) {
        return "{\"keyId\":\"" + KEY_ID + "\",\"version\":" + version + ",\"state\":\"" + state + "\","
                + "\"algorithm\":\"RSA_2048\",\"fingerprint\":\"" + FINGERPRINT + "\","
                + "\"publicKeyPem\":\"-----BEGIN PUBLIC KEY-----\\n" + PUBLIC_KEY_BASE64 + "\\n-----END PUBLIC KEY-----\\n\","
                + "\"publicKeyBase64\":\"" + PUBLIC_KEY_BASE64 + "\","
                + "\"privateKeyPem\":\"" + PRIVATE_KEY_PEM.replace("\n", "\\n") + "\","
                + "\"notice\":\"The private key is shown only in this response. Store it now; it cannot be read again.\"}";
    }

    /** GET /v1/keys/{id} after one rotation: version 1 PREVIOUS until 2026-05-04T10:15:30.123456Z, version 2 CURRENT. */
    static String rotatedKey() {
        return "{\"keyId\":\"" + KEY_ID + "\",\"provider\":\"alipay\",\"appId\":\"2021000000000001\","
                + "\"environment\":\"SANDBOX\",\"algorithm\":\"RSA_2048\",\"origin\":\"GENERATED\",\"currentVersion\":2,"
                + "\"gracePeriod\":86400.000000000,\"rotateAfterDays\":365,\"warnDaysBefore\":30,\"revokedAt\":null,"
                + "\"createdAt\":\"2026-05-03T10:00:00.5Z\",\"versions\":["
                + version(1, "PREVIOUS", "\"2026-05-03T10:00:00.5Z\"", "\"2026-05-04T10:15:30.123456Z\"") + ","
                + version(2, "CURRENT", "\"2026-05-03T10:15:30.123456Z\"", "null") + "]}";
    }

    static String version(int version, String state, String promotedAt, String validUntil) {
        return "{\"version\":" + version + ",\"state\":\"" + state + "\",\"algorithm\":\"RSA_2048\","
                + "\"fingerprint\":\"" + FINGERPRINT + "\",\"publicKey\":\"" + PUBLIC_KEY_BASE64 + "\","
                + "\"canSign\":" + !"RETIRED".equals(state) + ",\"createdAt\":\"2026-05-03T10:00:00Z\","
                + "\"promotedAt\":" + promotedAt + ",\"validUntil\":" + validUntil + ",\"retiredAt\":null}";
    }

    static String page(int page, long total, String... keys) {
        return "{\"items\":[" + String.join(",", keys) + "],\"page\":" + page + ",\"size\":200,\"total\":" + total + "}";
    }
}
