package io.keyfleet.signing.signature;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.keyfleet.events.KeyCreated;
import io.keyfleet.events.ProviderKeyUpdated;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The Antom conformance rules through HTTP (see AntomDifferentialTest for the scheme against the SDK): keyVersion is a
 * label, bodies of several MiB are taken, raw base64 signatures are judged, and the limits answer 413 problem+json.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "signing_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubbedKeyService.class)
class AntomApiIT {

    private static final String TENANT = "tenant-antom";
    private static final String CLIENT_ID = "SANDBOX_5Y3A2N2YEB3002022";
    private static final String PATH = "/notify/antom";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void notificationsAreVerifiedWithTheProviderKeyWhateverKeyVersionTheyName_rawSignaturesAreJudged_largeBodiesTaken() throws Exception {
        KeyPair provider = StubbedKeyService.rsa();
        String providerKeyId = UUID.randomUUID().toString();
        StubbedKeyService.addProviderKey(providerKeyId, TENANT, "antom", "SANDBOX", 1, provider);
        BrokerEvents.publish(bootstrapServers, TENANT, new ProviderKeyUpdated(providerKeyId, "antom", "SANDBOX", 1,
                StubbedKeyService.fingerprint(provider), StubbedKeyService.publicKey(provider), null, null));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> verify(notification(provider, "{\"n\":\"forged\"}", "1", true)
                .replace("forged", "forgeD")).then().statusCode(200).body("reason", equalTo("BAD_SIGNATURE")));

        // keyVersion=2 names no Keyfleet version: it is the provider's label, reported, and the held key verifies (was UNKNOWN_KEY_VERSION)
        verify(notification(provider, "{\"n\":\"label\"}", "2", true)).then().statusCode(200)
                .body("valid", equalTo(true)).body("keyVersion", equalTo(1)).body("keyVersionLabel", equalTo("2"));
        verify(notification(provider, "{\"n\":\"text-label\"}", "v2", true)).then().statusCode(200)
                .body("valid", equalTo(true)).body("keyVersionLabel", equalTo("v2"));

        // raw base64 (not URL-encoded): judged as Antom's SDK judges it, never MALFORMED
        boolean sawPlus = false;
        boolean sawNoPlus = false;
        for (int n = 0; !(sawPlus && sawNoPlus); n++) {
            String body = "{\"n\":" + n + "}";
            String now = Long.toString(System.currentTimeMillis());
            boolean plus = base64(provider, now, body).contains("+");
            if (plus ? sawPlus : sawNoPlus) {
                continue;
            }
            Response answer = verify(notification(provider, now, body, "1", false));
            answer.then().statusCode(200).body("valid", equalTo(!plus)).body("reason", equalTo(plus ? "BAD_SIGNATURE" : null));
            sawPlus |= plus;
            sawNoPlus |= !plus;
        }
        verify(notification(provider, "{}", "1", true).replace("signature=", "signature=%zz")).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("MALFORMED"));

        // Antom takes bodies over 1 MiB (was a 400 from the body's bound, or a 413 from the HTTP limit)
        verify(notification(provider, largeJson(2 * 1024 * 1024, "large"), "1", true)).then().statusCode(200).body("valid", equalTo(true));
        // over the message bound (keyfleet.signing.max-message-chars, 4 Mi chars): 413 problem+json, not a 5xx or plain text
        verify(notification(provider, largeJson(4 * 1024 * 1024 + 10, "over"), "1", true)).then().statusCode(413)
                .contentType("application/problem+json").body("code", equalTo("MESSAGE_TOO_LARGE"));
        // over the endpoint's HTTP limit (12 MiB of JSON): refused before it is read
        verify(notification(provider, largeJson(13 * 1024 * 1024, "huge"), "1", true)).then().statusCode(413)
                .contentType("application/problem+json").body("code", equalTo("PAYLOAD_TOO_LARGE"));
        // every other endpoint keeps the suite's 1 MiB
        given().header("X-Keyfleet-Tenant", TENANT).contentType(ContentType.JSON)
                .body("{\"items\":[" + notification(provider, largeJson(2 * 1024 * 1024, "batch"), "1", true) + "]}")
                .post("/v1/verify/batch").then().statusCode(413).contentType("application/problem+json")
                .body("code", equalTo("PAYLOAD_TOO_LARGE"));
    }

    @Test
    void theCallerChoosesTheKeyVersionLabelItSigns_andLargeBodiesSign() throws Exception {
        String keyId = UUID.randomUUID().toString();
        KeyPair pair = StubbedKeyService.rsa();
        StubbedKeyService.add(keyId, TENANT, "antom", "app-label", "SANDBOX", 1, pair);
        BrokerEvents.publish(bootstrapServers, TENANT, new KeyCreated(keyId, "antom", "app-label", "SANDBOX", 1, "RSA_2048",
                StubbedKeyService.fingerprint(pair), StubbedKeyService.publicKey(pair), true));

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> sign("{}", null).then().statusCode(200)
                .body("keyVersion", equalTo(1)).body("headers.Signature", startsWith("algorithm=RSA256,keyVersion=1,signature=")));
        sign("{}", "2").then().statusCode(200).body("keyVersion", equalTo(1))
                .body("headers.Signature", startsWith("algorithm=RSA256,keyVersion=2,signature="));
        sign("{}", "2,signature=x").then().statusCode(400).contentType("application/problem+json").body("code", equalTo("MALFORMED"));

        String large = largeJson(3 * 1024 * 1024, "sign");
        Response signed = sign(large, null);
        signed.then().statusCode(200);
        Map<String, String> headers = signed.jsonPath().getMap("headers", String.class, String.class);
        String header = headers.get("Signature");
        String requestTime = headers.get("request-time");
        String value = java.net.URLDecoder.decode(header.substring(header.indexOf("signature=") + 10), StandardCharsets.UTF_8);
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(pair.getPublic());
        verifier.update(("POST /ams/api/v1/payments/pay\n" + CLIENT_ID + "." + requestTime + "." + large).getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(Base64.getDecoder().decode(value))).isTrue();
    }

    private static Response sign(String body, String label) {
        Map<String, Object> request = new HashMap<>(Map.of("method", "POST", "path", "/ams/api/v1/payments/pay", "clientId", CLIENT_ID,
                "body", body));
        if (label != null) {
            request.put("keyVersionLabel", label);
        }
        return given().header("X-Keyfleet-Tenant", TENANT).contentType(ContentType.JSON)
                .body(Map.of("key", Map.of("provider", "antom", "appId", "app-label", "environment", "SANDBOX"), "scheme", "antom",
                        "request", request))
                .post("/v1/sign");
    }

    private static Response verify(String json) {
        return given().header("X-Keyfleet-Tenant", TENANT).contentType(ContentType.JSON).body(json).post("/v1/verify");
    }

    /** A /v1/verify request of a notification the provider signed now, its signature URL-encoded or raw. */
    private static String notification(KeyPair provider, String body, String label, boolean urlEncoded) throws Exception {
        return notification(provider, Long.toString(System.currentTimeMillis()), body, label, urlEncoded);
    }

    private static String notification(KeyPair provider, String requestTime, String body, String label, boolean urlEncoded) throws Exception {
        String base64 = base64(provider, requestTime, body);
        String value = urlEncoded ? URLEncoder.encode(base64, StandardCharsets.UTF_8) : base64;
        Map<String, Object> request = Map.of("key", Map.of("provider", "antom", "environment", "SANDBOX"), "scheme", "antom",
                "kind", "NOTIFICATION", "message", Map.of("method", "POST", "path", PATH, "body", body,
                        "headers", Map.of("client-id", CLIENT_ID, "request-time", requestTime,
                                "signature", "algorithm=RSA256,keyVersion=" + label + ",signature=" + value)));
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(request);
    }

    private static String base64(KeyPair provider, String time, String body) throws Exception {
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(provider.getPrivate());
        signature.update(("POST " + PATH + "\n" + CLIENT_ID + "." + time + "." + body).getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(signature.sign());
    }

    /** A JSON object of at least {@code chars} characters (more UTF-8 bytes), with unicode and escaped slashes, unique by {@code tag}. */
    private static String largeJson(int chars, String tag) {
        StringBuilder s = new StringBuilder("{\"tag\":\"" + tag + "\",\"items\":[");
        String item = "{\"name\":\"商品 \\/ item\",\"amount\":{\"currency\":\"USD\",\"value\":\"100\"}},";
        while (s.length() < chars) {
            s.append(item);
        }
        return s.append("{}]}").toString();
    }
}
