package io.keyfleet.signing.signature;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.events.KeyCreated;
import io.keyfleet.events.KeyRevoked;
import io.keyfleet.events.KeyRotated;
import io.keyfleet.events.ProviderKeyUpdated;
import io.keyfleet.kit.crypto.CryptoProviders;
import io.keyfleet.signing.scheme.AlipayRsa2Scheme;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * /v1/sign and /v1/verify over real HTTP, with key events over a real Kafka broker and the tables in a real
 * PostgreSQL. key-service is stood in for by {@link StubbedKeyService}, a real HTTP server inside the test.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "signing_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubbedKeyService.class)
class SignatureApiIT {

    static final String TENANT = "tenant-sig";
    private static final DateTimeFormatter NOTIFY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void signsWithTheCurrentVersionAndKeepsSigningWhileKeyServiceIsDown() throws Exception {
        String keyId = UUID.randomUUID().toString();
        KeyPair v1 = StubbedKeyService.rsa();
        StubbedKeyService.add(keyId, TENANT, "alipay", "app-down", "SANDBOX", 1, v1);
        publish(new KeyCreated(keyId, "alipay", "app-down", "SANDBOX", 1, "RSA_2048", StubbedKeyService.fingerprint(v1), publicKey(v1), true));
        awaitKnown(keyId, 1);

        Response signed = sign(rsa2Request("app-down", "SANDBOX"));
        signed.then().statusCode(200).body("keyVersion", equalTo(1)).body("keyId", equalTo(keyId));
        String content = AlipayRsa2Scheme.requestContent(params("app-down"));
        assertThat(verifies(v1, content, signed.path("params.sign"))).isTrue();

        StubbedKeyService.stopServer();
        try {
            sign(rsa2Request("app-down", "SANDBOX")).then().statusCode(200).body("keyVersion", equalTo(1));
        } finally {
            StubbedKeyService.restartServer();
        }
    }

    @Test
    void rotationUnderLoad_noSignRequestFails_andTheNewVersionSignsSoonAfterThePromote() throws Exception {
        String keyId = UUID.randomUUID().toString();
        KeyPair first = StubbedKeyService.rsa();
        StubbedKeyService.add(keyId, TENANT, "antom", "app-rot", "SANDBOX", 1, first);
        publish(new KeyCreated(keyId, "antom", "app-rot", "SANDBOX", 1, "RSA_2048", StubbedKeyService.fingerprint(first), publicKey(first), true));
        awaitKnown(keyId, 1);

        SigningLoop loop = new SigningLoop(antomRequest("app-rot"));
        loop.start();
        List<Long> delaysMillis = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> loop.lastVersion() == 1);
            for (int next = 2; next <= 6; next++) {
                // every rotation comes while the loop is signing: a few answers with the version in use first
                int answered = loop.count();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> loop.count() >= answered + 2);
                KeyPair pair = StubbedKeyService.rsa();
                StubbedKeyService.add(keyId, TENANT, "antom", "app-rot", "SANDBOX", next, pair);
                publish(new KeyRotated(keyId, "antom", "app-rot", "SANDBOX", next - 1, next, "RSA_2048", StubbedKeyService.fingerprint(pair),
                        publicKey(pair), Instant.now().plus(Duration.ofHours(1))));
                long promotedAt = System.nanoTime();
                int expected = next;
                // the first rotation also waits for this replica's cache consumer to be assigned its partitions; the delay
                // is taken from the loop's own timestamps, so polling every 50 ms does not add to it
                await().atMost(Duration.ofSeconds(next == 2 ? 120 : 60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> loop.firstAnswerWith(expected) != 0);
                if (next > 2) {
                    delaysMillis.add((loop.firstAnswerWith(expected) - promotedAt) / 1_000_000);
                }
            }
        } finally {
            loop.stop();
        }
        assertThat(loop.failures()).as("sign requests that failed during rotations").isEmpty();
        assertThat(loop.count()).isGreaterThan(10);
        System.out.printf("rotation under load: %d sign requests, none failed; promote -> new version in use: %s ms (max %d ms)%n",
                loop.count(), delaysMillis, delaysMillis.stream().mapToLong(Long::longValue).max().orElseThrow());

        StubbedKeyService.revoke(keyId);
        publish(new KeyRevoked(keyId, 0, "compromised"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                sign(antomRequest("app-rot")).then().statusCode(409).body("code", equalTo("KEY_RETIRED")));
    }

    @Test
    void providerNotificationsAreCheckedOnceAndOnlyWhenFresh() throws Exception {
        String tenant = "tenant-notify";
        KeyPair alipay = alipayProviderKey(tenant);

        Map<String, String> forged = notification(alipay, "forged-1", LocalDateTime.now(ZoneOffset.ofHours(8)));
        forged.put("total_amount", "1000.00");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> verify(tenant, verifyNotification(forged)).then().statusCode(200)
                .body("valid", equalTo(false)).body("reason", equalTo("BAD_SIGNATURE")));

        Map<String, String> genuine = notification(alipay, "notify-1", LocalDateTime.now(ZoneOffset.ofHours(8)));
        verify(tenant, verifyNotification(genuine)).then().statusCode(200).body("valid", equalTo(true)).body("keyVersion", equalTo(1));
        verify(tenant, verifyNotification(genuine)).then().statusCode(200).body("valid", equalTo(false)).body("reason", equalTo("REPLAYED"));

        Map<String, String> old = notification(alipay, "notify-2", LocalDateTime.now(ZoneOffset.ofHours(8)).minusHours(2));
        verify(tenant, verifyNotification(old)).then().statusCode(200).body("valid", equalTo(false)).body("reason", equalTo("STALE_TIMESTAMP"));

        Map<String, Object> antomResponse = Map.of("key", Map.of("provider", "alipay", "environment", "sandbox"), "scheme", "antom",
                "kind", "RESPONSE", "message", Map.of("method", "POST", "path", "/ams/api/v1/payments/pay", "body", "{}",
                        "headers", Map.of("client-id", "c1", "response-time", "1763800000000",
                                "signature", "algorithm=RSA256,keyVersion=7,signature=AAAA")));
        // keyVersion is Antom's label, not a Keyfleet version: reported, and the provider key Keyfleet holds judges the signature
        verify(tenant, antomResponse).then().statusCode(200).body("reason", equalTo("BAD_SIGNATURE")).body("keyVersionLabel", equalTo("7"));

        Map<String, Object> malformed = verifyNotification(Map.of("sign", "not base64!"));
        given().header("X-Keyfleet-Tenant", tenant).contentType(ContentType.JSON)
                .body(Map.of("items", List.of(verifyNotification(notification(alipay, "notify-3", LocalDateTime.now(ZoneOffset.ofHours(8)))), malformed)))
                .post("/v1/verify/batch").then().statusCode(200)
                .body("results[0].valid", equalTo(true)).body("results[1].reason", equalTo("MALFORMED"));
        verify(tenant, malformed).then().statusCode(400).contentType("application/problem+json").body("code", equalTo("MALFORMED"));
    }

    @Test
    void alipayV2ConformanceRulesThroughHttp() throws Exception {
        String tenant = "tenant-alipay-v2";
        KeyPair alipay = alipayProviderKey(tenant);

        // an error answer without a signature: an explicit verdict with Alipay's sub_code, not a 400
        String unsigned = "{\"alipay_trade_query_response\":{\"code\":\"40004\",\"msg\":\"Business Failed\","
                + "\"sub_code\":\"ACQ.TRADE_NOT_EXIST\"}}";
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> verify(tenant, verifyResponse(unsigned, Map.of())).then().statusCode(200)
                .body("valid", equalTo(false)).body("reason", equalTo("UNSIGNED_ERROR_RESPONSE"))
                .body("providerCode", equalTo("ACQ.TRADE_NOT_EXIST")));

        // signed over the text with '/' where the body has '\/': checked again as the SDK does
        String inner = "{\"code\":\"10000\",\"msg\":\"Success\",\"url\":\"https:\\/\\/example.com\\/r\"}";
        String body = "{\"alipay_trade_query_response\":" + inner + ",\"sign\":\"" + sign(alipay, inner.replace("\\/", "/"), StandardCharsets.UTF_8) + "\"}";
        verify(tenant, verifyResponse(body, Map.of("apiMethod", "alipay.trade.query"))).then().statusCode(200).body("valid", equalTo(true));
        // a second, unsigned answer after the signed one is refused, whatever the first one's signature
        String wrapped = body.substring(0, body.length() - 1) + ",\"alipay_trade_query_response\":{\"code\":\"10000\"}}";
        verify(tenant, verifyResponse(wrapped, Map.of())).then().statusCode(200)
                .body("valid", equalTo(false)).body("reason", equalTo("DUPLICATE_RESPONSE_NODE"));
        // a GBK answer is checked over GBK bytes when the caller says so
        String gbkInner = "{\"code\":\"10000\",\"msg\":\"Success\",\"subject\":\"订单\"}";
        String gbkBody = "{\"alipay_trade_query_response\":" + gbkInner + ",\"sign\":\"" + sign(alipay, gbkInner, Charset.forName("GBK")) + "\"}";
        verify(tenant, verifyResponse(gbkBody, Map.of("charset", "GBK"))).then().statusCode(200).body("valid", equalTo(true));
        verify(tenant, verifyResponse(gbkBody, Map.of())).then().statusCode(200).body("reason", equalTo("BAD_SIGNATURE"));

        // a notification signed in the form with sign_type (rsaCheckV2), in GBK as its charset parameter says
        Map<String, String> v2 = new LinkedHashMap<>();
        v2.put("notify_id", "v2-" + UUID.randomUUID());
        v2.put("notify_type", "trade_status_sync");
        v2.put("charset", "GBK");
        v2.put("subject", "测试");
        v2.put("sign_type", "RSA2");
        v2.put("sign", sign(alipay, AlipayRsa2Scheme.requestContent(v2), Charset.forName("GBK")));
        verify(tenant, verifyNotification(v2, "V1")).then().statusCode(200).body("reason", equalTo("BAD_SIGNATURE"));
        verify(tenant, verifyNotification(v2, "V2")).then().statusCode(200).body("valid", equalTo(true));
        verify(tenant, verifyNotification(v2, "V3")).then().statusCode(400).contentType("application/problem+json");

        // signing: GBK bytes when asked, and a biz_content of 2 MiB
        String keyId = UUID.randomUUID().toString();
        KeyPair app = StubbedKeyService.rsa();
        StubbedKeyService.add(keyId, TENANT, "alipay", "app-v2", "SANDBOX", 1, app);
        Map<String, String> params = params("app-v2");
        params.put("charset", "GBK");
        params.put("biz_content", "{\"subject\":\"" + "订单".repeat(1024 * 1024) + "\"}");
        String signature = sign(Map.of("key", Map.of("provider", "alipay", "appId", "app-v2", "environment", "SANDBOX"), "scheme", "alipay-rsa2",
                "request", Map.of("params", params))).then().statusCode(200).extract().path("params.sign");
        Signature check = Signature.getInstance("SHA256withRSA");
        check.initVerify(app.getPublic());
        check.update(AlipayRsa2Scheme.requestContent(params).getBytes(Charset.forName("GBK")));
        assertThat(check.verify(Base64.getDecoder().decode(signature))).isTrue();
        // past keyfleet.signing.max-message-chars: a 413 problem
        params.put("biz_content", "x".repeat(4 * 1024 * 1024 + 1));
        sign(Map.of("key", Map.of("provider", "alipay", "appId", "app-v2", "environment", "SANDBOX"), "scheme", "alipay-rsa2",
                "request", Map.of("params", params))).then().statusCode(413).contentType("application/problem+json")
                .body("code", equalTo("MESSAGE_TOO_LARGE"));
    }

    /** A new Alipay public key of the tenant's SANDBOX, known to the stub and announced by its event. */
    private KeyPair alipayProviderKey(String tenant) throws Exception {
        KeyPair alipay = StubbedKeyService.rsa();
        String providerKeyId = UUID.randomUUID().toString();
        StubbedKeyService.addProviderKey(providerKeyId, tenant, "alipay", "SANDBOX", 1, alipay);
        publish(tenant, new ProviderKeyUpdated(providerKeyId, "alipay", "SANDBOX", 1, StubbedKeyService.fingerprint(alipay), publicKey(alipay), null, null));
        return alipay;
    }

    static Map<String, Object> verifyResponse(String body, Map<String, String> extra) {
        Map<String, Object> message = new LinkedHashMap<>(extra);
        message.put("body", body);
        return Map.of("key", Map.of("provider", "alipay", "environment", "SANDBOX"), "scheme", "alipay-rsa2", "kind", "RESPONSE",
                "message", message);
    }

    static Map<String, Object> verifyNotification(Map<String, String> params, String form) {
        return Map.of("key", Map.of("provider", "alipay", "environment", "SANDBOX"), "scheme", "alipay-rsa2",
                "kind", "NOTIFICATION", "message", Map.of("params", params, "notificationForm", form));
    }

    static String sign(KeyPair provider, String content, Charset charset) throws Exception {
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(provider.getPrivate());
        signature.update(content.getBytes(charset));
        return Base64.getEncoder().encodeToString(signature.sign());
    }

    @Test
    void signBatchAnswersEachItem() throws Exception {
        String keyId = UUID.randomUUID().toString();
        KeyPair pair = StubbedKeyService.rsa();
        StubbedKeyService.add(keyId, TENANT, "alipay", "app-batch", "SANDBOX", 1, pair);
        given().header("X-Keyfleet-Tenant", TENANT).contentType(ContentType.JSON)
                .body(Map.of("items", List.of(rsa2Request("app-batch", "SANDBOX"), rsa2Request("app-missing", "SANDBOX"))))
                .post("/v1/sign/batch").then().statusCode(200)
                .body("results[0].result.keyVersion", equalTo(1)).body("results[0].error", equalTo(null))
                .body("results[1].error.status", equalTo(404)).body("results[1].error.code", equalTo("KEY_NOT_FOUND"));
    }

    @Test
    void livenessAndMetricsNameTheProviderThatSigns() {
        String expected = CryptoProviders.accp().isPresent() ? "AmazonCorrettoCryptoProvider" : "SunRsaSign";
        given().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'crypto-provider' }.data.provider", equalTo(expected));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("keyfleet_signing_crypto_provider{"), containsString("provider=\"" + expected + "\""));
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    static Map<String, Object> rsa2Request(String appId, String environment) {
        return Map.of("key", Map.of("provider", "alipay", "appId", appId, "environment", environment), "scheme", "alipay-rsa2",
                "request", Map.of("params", params(appId)));
    }

    static Map<String, Object> antomRequest(String appId) {
        return Map.of("key", Map.of("provider", "antom", "appId", appId, "environment", "SANDBOX"), "scheme", "antom",
                "request", Map.of("method", "POST", "path", "/ams/api/v1/payments/pay", "clientId", "SANDBOX_X",
                        "body", "{\"paymentRequestId\":\"P-1\"}"));
    }

    static Map<String, String> params(String appId) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("app_id", appId);
        params.put("method", "alipay.trade.query");
        params.put("charset", "utf-8");
        params.put("sign_type", "RSA2");
        params.put("timestamp", "2026-11-22 12:00:00");
        params.put("version", "1.0");
        params.put("biz_content", "{\"out_trade_no\":\"T-1\"}");
        return params;
    }

    static Map<String, String> notification(KeyPair provider, String notifyId, LocalDateTime beijingTime) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("notify_id", notifyId);
        params.put("notify_time", beijingTime.format(NOTIFY_TIME));
        params.put("notify_type", "trade_status_sync");
        params.put("out_trade_no", "T-" + notifyId);
        params.put("total_amount", "88.88");
        params.put("sign_type", "RSA2");
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(provider.getPrivate());
        signature.update(AlipayRsa2Scheme.notificationContent(params).getBytes(StandardCharsets.UTF_8));
        params.put("sign", Base64.getEncoder().encodeToString(signature.sign()));
        return params;
    }

    static Map<String, Object> verifyNotification(Map<String, String> params) {
        return Map.of("key", Map.of("provider", "alipay", "environment", "SANDBOX"), "scheme", "alipay-rsa2",
                "kind", "NOTIFICATION", "message", Map.of("params", params));
    }

    static Response sign(Object body) {
        return given().header("X-Keyfleet-Tenant", TENANT).contentType(ContentType.JSON).body(body).post("/v1/sign");
    }

    static Response verify(String tenant, Object body) {
        return given().header("X-Keyfleet-Tenant", tenant).contentType(ContentType.JSON).body(body).post("/v1/verify");
    }

    static boolean verifies(KeyPair pair, String content, String base64) throws Exception {
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initVerify(pair.getPublic());
        signature.update(content.getBytes(StandardCharsets.UTF_8));
        return signature.verify(Base64.getDecoder().decode(base64));
    }

    static void awaitKnown(String keyId, int versions) {
        // perhaps the first event this application consumes: its consumer joins the group first (slow on a loaded machine)
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                given().header("X-Keyfleet-Tenant", TENANT).get("/v1/keys/{k}/versions", keyId).then().statusCode(200)
                        .body("size()", equalTo(versions)));
    }

    static String publicKey(KeyPair pair) {
        return StubbedKeyService.publicKey(pair);
    }

    private void publish(io.keyfleet.events.DomainEvent event) throws Exception {
        publish(TENANT, event);
    }

    private void publish(String tenant, io.keyfleet.events.DomainEvent event) throws Exception {
        BrokerEvents.publish(bootstrapServers, tenant, event);
    }
}
