package io.keyfleet.signing.signature;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of /v1/sign and /v1/verify (and their batch forms), /v1/encrypt and /v1/decrypt: malformed bodies, huge headers, non-base64
 * signatures, unknown schemes and kinds. Every answer must be a 4xx problem+json with a code, never a 5xx.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "signing_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubbedKeyService.class)
class BadInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] PATHS = {"/v1/sign", "/v1/verify", "/v1/sign/batch", "/v1/verify/batch", "/v1/encrypt", "/v1/decrypt"};

    @Test
    void namedCases() {
        assertProblem(post("/v1/sign", "{\"key\":{\"provider\":\"alipay\",\"appId\":\"a\",\"environment\":\"SANDBOX\"},"
                + "\"scheme\":\"rot13\",\"request\":{}}"), 400, "UNKNOWN_SCHEME");
        assertProblem(post("/v1/sign", "{\"key\":"), 400, null);
        assertProblem(post("/v1/verify", verify("alipay-v3", Map.of("alipay-timestamp", "1", "alipay-nonce", "n",
                "alipay-signature", "***not-base64***"))), 400, "MALFORMED");
        assertProblem(post("/v1/verify", verify("antom", Map.of("client-id", "c", "response-time", "1",
                "signature", "algorithm=RSA256,keyVersion=x,signature=AA%3"))), 400, "MALFORMED");
        Map<String, String> huge = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            huge.put("x-h" + i, "v");
        }
        assertProblem(post("/v1/verify", verify("alipay-v3", huge)), 400, null);
        assertProblem(post("/v1/verify", verify("alipay-v3", Map.of("alipay-signature", "A".repeat(20_000)))), 400, null);
        assertProblem(post("/v1/sign", "{\"key\":{\"provider\":\"alipay\",\"appId\":\"a\",\"environment\":\"SANDBOX\"},"
                + "\"scheme\":\"keyfleet-hmac\",\"request\":{}}"), 404, "SECRET_NOT_FOUND");
        // alipay-rsa2 inputs: a charset or notification form Alipay does not use, a body past the HTTP limit
        assertProblem(post("/v1/verify", alipayNotification(Map.of("charset", "ISO-8859-1"))), 400, null);
        assertProblem(post("/v1/verify", alipayNotification(Map.of("notificationForm", "V9"))), 400, null);
        assertProblem(post("/v1/verify", alipayNotification(Map.of("params", Map.of("charset", "latin1", "sign", "AAAA")))), 400, "MALFORMED");
        assertProblem(post("/v1/verify", alipayNotification(Map.of("params", Map.of("x", "x".repeat(13 * 1024 * 1024))))), 413, "PAYLOAD_TOO_LARGE");
        assertProblem(post("/v1/verify", alipayNotification(Map.of("params", Map.of("x", "x".repeat(5 * 1024 * 1024))))), 413, "MESSAGE_TOO_LARGE");
    }

    private static String alipayNotification(Map<String, Object> message) {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("params", Map.of("notify_id", "n-1", "sign", "AAAA"));
        parts.putAll(message);
        try {
            return JSON.writeValueAsString(Map.of("key", Map.of("provider", "alipay", "environment", "SANDBOX"), "scheme", "alipay-rsa2",
                    "kind", "NOTIFICATION", "message", parts));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void seededFuzzNeverAnswers5xx() throws Exception {
        Random random = new Random(5_2026_1122L);
        // a content key for the encryption seed, so that fuzzed ciphertexts reach the cipher
        StubbedKeyService.addSecret(java.util.UUID.randomUUID().toString(), "tenant-fuzz", "alipay", "fuzz-app", "SANDBOX", "AES", 1, new byte[16],
                java.time.Duration.ofHours(1));
        List<String> seeds = List.of(
                JSON.writeValueAsString(SignatureApiIT.rsa2Request("fuzz-app", "SANDBOX")),
                JSON.writeValueAsString(SignatureApiIT.antomRequest("fuzz-app")),
                verify("alipay-v3", Map.of("alipay-timestamp", "1763800000000", "alipay-nonce", "n", "alipay-signature", "AAAA")),
                verify("antom", Map.of("client-id", "c", "response-time", "1763800000000", "signature", "algorithm=RSA256,signature=AA%3D%3D")),
                "{\"key\":{\"provider\":\"alipay\",\"appId\":\"fuzz-app\",\"environment\":\"SANDBOX\"},\"encryptType\":\"AES\","
                        + "\"charset\":\"GBK\",\"plaintext\":\"订单\",\"ciphertext\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"keyVersion\":1}");
        for (int i = 0; i < 300; i++) {
            String body = mutate(seeds.get(random.nextInt(seeds.size())), random);
            String path = PATHS[random.nextInt(PATHS.length)];
            if (path.endsWith("batch") && random.nextBoolean()) {
                body = "{\"items\":[" + body + "]}";
            }
            Response response = post(path, body);
            assertThat(response.statusCode()).as("case %d: %s %s -> %s", i, path, body, response.asString()).isBetween(200, 499);
            if (response.statusCode() >= 400) {
                assertThat(response.contentType()).as("case %d", i).startsWith("application/problem+json");
                assertThat((String) response.path("code")).as("case %d", i).isNotBlank();
            }
        }
    }

    private static String mutate(String json, Random random) {
        StringBuilder s = new StringBuilder(json);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(6)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, "{[\"\\:,}]0-".charAt(random.nextInt(10)));
                case 2 -> s.setLength(at);
                case 3 -> s.insert(at, "\"x".repeat(random.nextInt(2000)));
                case 4 -> s.replace(at, Math.min(s.length(), at + 3), "\uD83D\uDE00");
                default -> s.setCharAt(at, (char) (32 + random.nextInt(95)));
            }
            if (s.isEmpty()) {
                s.append('{');
            }
        }
        return s.toString();
    }

    private static String verify(String scheme, Map<String, String> headers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", Map.of("provider", "alipay", "environment", "SANDBOX"));
        body.put("scheme", scheme);
        body.put("kind", "RESPONSE");
        body.put("message", Map.of("method", "POST", "path", "/p", "body", "{}", "headers", headers));
        try {
            return JSON.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response post(String path, String body) {
        return given().header("X-Keyfleet-Tenant", "tenant-fuzz").contentType(ContentType.JSON).body(body).post(path);
    }

    private static void assertProblem(Response response, int status, String code) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        if (code != null) {
            assertThat((String) response.path("code")).isEqualTo(code);
        }
    }
}
