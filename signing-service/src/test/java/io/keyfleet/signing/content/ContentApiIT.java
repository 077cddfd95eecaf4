package io.keyfleet.signing.content;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.alipay.api.internal.util.AlipayEncrypt;
import io.keyfleet.auth.RequestSignature;
import io.keyfleet.auth.SignedRequestHeaders;
import io.keyfleet.signing.scheme.AlipayAesContent;
import io.keyfleet.signing.scheme.KeyfleetHmacScheme;
import io.keyfleet.signing.signature.StubbedKeyService;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * /v1/encrypt and /v1/decrypt over real HTTP, the app's content key fetched over real HTTP from key-service's material
 * API as {@link StubbedKeyService} serves it; ciphertexts checked against alipay-sdk-java's AlipayEncrypt. Also rotation
 * (the new version encrypts, the old one decrypts during its grace), the tenant boundary, bad input as 4xx, and
 * keyfleet-hmac through /v1/sign and /v1/verify with the app's HMAC secret.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "signing_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubbedKeyService.class)
class ContentApiIT {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PLAINTEXT = "{\"out_trade_no\":\"T-1001\",\"subject\":\"订单 ✓ 😀\",\"total_amount\":\"88.88\"}";

    @Test
    void encryptsAndDecryptsAsTheSdk_inEveryCharsetAndType() throws Exception {
        String tenant = tenant();
        String app = app();
        byte[] key = aesKey(16);
        String base64Key = Base64.getEncoder().encodeToString(key);
        String secretId = UUID.randomUUID().toString();
        StubbedKeyService.addSecret(secretId, tenant, "alipay", app, "SANDBOX", "AES", 1, key, Duration.ofHours(1));

        for (String charset : new String[] {"UTF-8", "GBK", "GB2312"}) {
            String plaintext = charset.equals("UTF-8") ? PLAINTEXT : "{\"subject\":\"订单\",\"memo\":\"中文内容\"}";
            Response encrypted = encrypt(tenant, app, "AES", charset, plaintext);
            encrypted.then().statusCode(200).body("keyVersion", equalTo(1)).body("secretId", equalTo(secretId))
                    .body("encryptType", equalTo("AES"));
            assertThat(encrypted.<String>path("ciphertext")).isEqualTo(AlipayEncrypt.encryptContent(plaintext, "AES", base64Key, charset));

            decrypt(tenant, app, "AES", charset, AlipayEncrypt.encryptContent(plaintext, "AES", base64Key, charset), null)
                    .then().statusCode(200).body("plaintext", equalTo(plaintext)).body("keyVersion", equalTo(1));

            String ourV2 = encrypt(tenant, app, "AES_V2", charset, plaintext).then().statusCode(200).extract().path("ciphertext");
            assertThat(AlipayEncrypt.decryptContent(ourV2, "AES_V2", base64Key, charset)).isEqualTo(plaintext);
            decrypt(tenant, app, "aes_v2", charset, AlipayEncrypt.encryptContent(plaintext, "AES_V2", base64Key, charset), null)
                    .then().statusCode(200).body("plaintext", equalTo(plaintext));
        }
        // without charset and encryptType: UTF-8 and AES, as Alipay's encrypt_type=AES
        encrypt(tenant, app, null, null, "").then().statusCode(200)
                .body("ciphertext", equalTo(AlipayEncrypt.encryptContent("", "AES", base64Key, "UTF-8")));
    }

    @Test
    void afterARotationTheNewVersionEncryptsAndTheOldOneDecryptsUntilItsGraceEnds() throws Exception {
        String tenant = tenant();
        String app = app();
        byte[] v1 = aesKey(16);
        byte[] v2 = aesKey(32);
        String secretId = UUID.randomUUID().toString();
        StubbedKeyService.addSecret(secretId, tenant, "alipay", app, "SANDBOX", "AES", 1, v1, Duration.ofHours(1));
        String underV1 = encrypt(tenant, app, null, null, PLAINTEXT).then().statusCode(200).body("keyVersion", equalTo(1))
                .extract().path("ciphertext");

        StubbedKeyService.addSecret(secretId, tenant, "alipay", app, "SANDBOX", "AES", 2, v2, Duration.ofHours(1));
        // a version newer than the one held is read from key-service at once
        String underV2 = AlipayAesContent.encrypt(PLAINTEXT, v2, StandardCharsets.UTF_8, AlipayAesContent.Type.AES);
        decrypt(tenant, app, null, null, underV2, 2).then().statusCode(200).body("plaintext", equalTo(PLAINTEXT))
                .body("keyVersion", equalTo(2));
        encrypt(tenant, app, null, null, PLAINTEXT).then().statusCode(200).body("keyVersion", equalTo(2))
                .body("ciphertext", equalTo(underV2));
        // the old version still decrypts, found by itself or asked for
        decrypt(tenant, app, null, null, underV1, null).then().statusCode(200).body("plaintext", equalTo(PLAINTEXT))
                .body("keyVersion", equalTo(1));
        decrypt(tenant, app, null, null, underV1, 1).then().statusCode(200).body("keyVersion", equalTo(1));
        decrypt(tenant, app, null, null, underV1, 7).then().statusCode(409).body("code", equalTo("KEY_VERSION_NOT_USABLE"));

        // its grace ended (revoked in key-service): within the cache's time it no longer decrypts
        StubbedKeyService.retireSecretVersion(secretId, 1);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                decrypt(tenant, app, null, null, underV1, 1).then().statusCode(409).body("code", equalTo("KEY_VERSION_NOT_USABLE")));
        Response guessed = decrypt(tenant, app, null, null, underV1, null);
        assertThat(guessed.statusCode() == 400 || !PLAINTEXT.equals(guessed.path("plaintext")))
                .as("v2 does not give v1's plaintext: %s", guessed.asString()).isTrue();
    }

    @Test
    void tenantBCannotUseTenantAsContentKey_andItReadsAsAKeyNobodyHas() {
        String tenantA = tenant();
        String tenantB = tenant();
        String app = app();
        byte[] key = aesKey(16);
        StubbedKeyService.addSecret(UUID.randomUUID().toString(), tenantA, "alipay", app, "SANDBOX", "AES", 1, key, Duration.ofHours(1));
        String ciphertext = encrypt(tenantA, app, null, null, PLAINTEXT).then().statusCode(200).extract().path("ciphertext");
        String ghost = app();

        for (String appId : new String[] {app, ghost}) {
            encrypt(tenantB, appId, null, null, PLAINTEXT).then().statusCode(404).contentType("application/problem+json")
                    .body("code", equalTo("SECRET_NOT_FOUND"));
            decrypt(tenantB, appId, null, null, ciphertext, null).then().statusCode(404).body("code", equalTo("SECRET_NOT_FOUND"));
        }
        assertThat(normalized(encrypt(tenantB, app, null, null, PLAINTEXT), app))
                .isEqualTo(normalized(encrypt(tenantB, ghost, null, null, PLAINTEXT), ghost));
        // A's production key is another key: the sandbox one is never used for it
        encrypt(tenantA, app, null, null, PLAINTEXT, "PRODUCTION").then().statusCode(404).body("code", equalTo("SECRET_NOT_FOUND"));
        decrypt(tenantA, app, null, null, ciphertext, null).then().statusCode(200).body("plaintext", equalTo(PLAINTEXT));
    }

    @Test
    void badInputIsA4xxProblem() {
        String tenant = tenant();
        String app = app();
        byte[] key = aesKey(16);
        StubbedKeyService.addSecret(UUID.randomUUID().toString(), tenant, "alipay", app, "SANDBOX", "AES", 1, key, Duration.ofHours(1));

        problem(decrypt(tenant, app, null, null, "***not base64***", null), 400, "MALFORMED");
        problem(decrypt(tenant, app, null, null, "QUJD=", null), 400, "MALFORMED"); // wrong base64 padding
        problem(decrypt(tenant, app, null, null, "QUJD", null), 400, "MALFORMED"); // 3 bytes: not an AES block
        problem(decrypt(tenant, app, null, null, Base64.getEncoder().encodeToString(new byte[17]), null), 400, "MALFORMED");
        problem(decrypt(tenant, app, "AES_V2", null, Base64.getEncoder().encodeToString(new byte[8]), null), 400, "MALFORMED");
        // no blocks at all: the empty text, as the SDK answers
        decrypt(tenant, app, null, null, "", null).then().statusCode(200).body("plaintext", equalTo(""));
        problem(decrypt(tenant, app, null, null, wrongPadding(key), null), 400, "DECRYPT_FAILED");
        problem(decrypt(tenant, app, null, null, wrongPadding(key), 1), 400, "DECRYPT_FAILED");
        problem(decrypt(tenant, app, null, null, "AAAAAAAAAAAAAAAAAAAAAA==", 0), 400, null);
        problem(encrypt(tenant, app, "SM4", null, "x"), 400, null);
        problem(encrypt(tenant, app, null, "ISO-8859-1", "x"), 400, null);
        problem(encrypt(tenant, null, null, null, "x"), 400, "MALFORMED");
        problem(encrypt(tenant, app, null, null, "x".repeat(5 * 1024 * 1024)), 413, "MESSAGE_TOO_LARGE");
        problem(given().header("X-Keyfleet-Tenant", tenant).contentType(ContentType.JSON).body("{\"key\":").post("/v1/encrypt"), 400, null);
        problem(given().header("X-Keyfleet-Tenant", tenant).contentType(ContentType.JSON).body("{}").post("/v1/decrypt"), 400, null);
    }

    @Test
    void keyfleetHmacSignsAndVerifiesWithTheAppsHmacSecret() {
        String tenant = tenant();
        String app = app();
        byte[] secret = aesKey(32);
        String secretId = UUID.randomUUID().toString();
        StubbedKeyService.addSecret(secretId, tenant, "keyfleet", app, "PRODUCTION", "HMAC_SHA256", 1, secret, Duration.ofHours(1));
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("method", "POST");
        parts.put("path", "/callbacks/keys");
        parts.put("body", "{\"event\":\"KeyRotated\"}");
        parts.put("headers", Map.of(SignedRequestHeaders.TENANT, tenant));
        Response signed = given().header("X-Keyfleet-Tenant", tenant).contentType(ContentType.JSON)
                .body(Map.of("key", key("keyfleet", app, "PRODUCTION"), "scheme", "keyfleet-hmac", "request", parts)).post("/v1/sign");
        signed.then().statusCode(200).body("keyId", equalTo(secretId)).body("keyVersion", equalTo(1));
        Map<String, String> headers = signed.path("headers");
        String canonical = RequestSignature.canonical(RequestSignature.Version.V2, "POST", "/callbacks/keys", null, tenant,
                headers.get(KeyfleetHmacScheme.TIMESTAMP), headers.get(KeyfleetHmacScheme.NONCE),
                RequestSignature.sha256Hex("{\"event\":\"KeyRotated\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(RequestSignature.matches(secret, canonical, headers.get(KeyfleetHmacScheme.SIGNATURE))).isTrue();

        Map<String, String> received = new HashMap<>(headers);
        received.put(SignedRequestHeaders.TENANT, tenant);
        Map<String, Object> message = new LinkedHashMap<>(parts);
        message.put("headers", received);
        verifyHmac(tenant, app, message).then().statusCode(200).body("valid", equalTo(true)).body("keyVersion", equalTo(1));
        message.put("body", "{\"event\":\"KeyRevoked\"}");
        verifyHmac(tenant, app, message).then().statusCode(200).body("valid", equalTo(false)).body("reason", equalTo("BAD_SIGNATURE"));

        // another tenant has no HMAC secret for this app
        given().header("X-Keyfleet-Tenant", tenant()).contentType(ContentType.JSON)
                .body(Map.of("key", key("keyfleet", app, "PRODUCTION"), "scheme", "keyfleet-hmac", "request", parts)).post("/v1/sign")
                .then().statusCode(404).body("code", equalTo("SECRET_NOT_FOUND"));
    }

    private static Response verifyHmac(String tenant, String app, Map<String, Object> message) {
        return given().header("X-Keyfleet-Tenant", tenant).contentType(ContentType.JSON)
                .body(Map.of("key", key("keyfleet", app, "PRODUCTION"), "scheme", "keyfleet-hmac", "kind", "REQUEST", "message", message))
                .post("/v1/verify");
    }

    /** A ciphertext of two blocks that this key does not decrypt (its padding is wrong). */
    private static String wrongPadding(byte[] key) {
        while (true) {
            byte[] raw = new byte[32];
            RANDOM.nextBytes(raw);
            if (AlipayAesContent.decrypt(raw, key, AlipayAesContent.Type.AES) == null) {
                return Base64.getEncoder().encodeToString(raw);
            }
        }
    }

    static Response encrypt(String tenant, String app, String type, String charset, String plaintext) {
        return encrypt(tenant, app, type, charset, plaintext, "SANDBOX");
    }

    static Response encrypt(String tenant, String app, String type, String charset, String plaintext, String environment) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key("alipay", app, environment));
        body.put("encryptType", type);
        body.put("charset", charset);
        body.put("plaintext", plaintext);
        return given().header("X-Keyfleet-Tenant", tenant).contentType(ContentType.JSON).body(body).post("/v1/encrypt");
    }

    static Response decrypt(String tenant, String app, String type, String charset, String ciphertext, Integer keyVersion) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key("alipay", app, "SANDBOX"));
        body.put("encryptType", type);
        body.put("charset", charset);
        body.put("ciphertext", ciphertext);
        body.put("keyVersion", keyVersion);
        return given().header("X-Keyfleet-Tenant", tenant).contentType(ContentType.JSON).body(body).post("/v1/decrypt");
    }

    static Map<String, Object> key(String provider, String app, String environment) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("provider", provider);
        key.put("appId", app);
        key.put("environment", environment);
        return key;
    }

    private static void problem(Response response, int status, String code) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        if (code != null) {
            assertThat(response.<String>path("code")).as(response.asString()).isEqualTo(code);
        }
    }

    private static String normalized(Response response, String app) {
        return response.statusCode() + " " + response.asString().replace(app, "{app}").replaceAll("\"requestId\":\"[^\"]*\"", "");
    }

    private static byte[] aesKey(int bytes) {
        byte[] key = new byte[bytes];
        RANDOM.nextBytes(key);
        return key;
    }

    private static String tenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String app() {
        return "enc-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
