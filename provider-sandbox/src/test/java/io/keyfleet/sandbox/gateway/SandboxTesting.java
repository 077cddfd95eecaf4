package io.keyfleet.sandbox.gateway;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Sets up the imitated outside world over the sandbox's own admin HTTP API, as a test or benchmark would. */
final class SandboxTesting {

    private static final AtomicLong APP_IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private SandboxTesting() {
    }

    /** An ISV app: its id and the key pair the SDK signs with. */
    record TestApp(String appId, KeyPair keys) {
        String privateKeyBase64() {
            return Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
        }
    }

    static TestApp registerApp(Long accessSeconds, Long refreshSeconds, Long graceSeconds) {
        TestApp app = new TestApp("2021" + String.format("%012d", APP_IDS.incrementAndGet()), rsa());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("publicKey", Base64.getEncoder().encodeToString(app.keys().getPublic().getEncoded()));
        body.put("accessTokenLifetimeSeconds", accessSeconds);
        body.put("refreshTokenLifetimeSeconds", refreshSeconds);
        body.put("refreshGraceSeconds", graceSeconds);
        given().contentType(ContentType.JSON).body(body).put("/sandbox/admin/apps/" + app.appId()).then().statusCode(200);
        return app;
    }

    static String platformPublicKey() {
        return given().get("/sandbox/admin/platform-key").then().statusCode(200).extract().path("alipayPublicKey");
    }

    static String consent(String appId, String userId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("appId", appId);
        body.put("userId", userId);
        return given().contentType(ContentType.JSON).body(body).post("/sandbox/consents").then().statusCode(201)
                .extract().path("appAuthCode");
    }

    static long scenario(String kind, String appId, Integer count, Long durationSeconds, Long delayMillis, Integer httpStatus) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", kind);
        body.put("appId", appId);
        body.put("count", count);
        body.put("durationSeconds", durationSeconds);
        body.put("delayMillis", delayMillis);
        body.put("httpStatus", httpStatus);
        return ((Number) given().contentType(ContentType.JSON).body(body).post("/sandbox/admin/scenarios").then().statusCode(201)
                .extract().path("id")).longValue();
    }

    static void clockOffset(long seconds) {
        given().contentType(ContentType.JSON).body(Map.of("offsetSeconds", seconds)).put("/sandbox/admin/clock").then().statusCode(200);
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
