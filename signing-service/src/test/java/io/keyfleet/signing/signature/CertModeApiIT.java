package io.keyfleet.signing.signature;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.kit.crypto.AlipayCertificates;
import io.keyfleet.signing.scheme.AlipayRsa2Scheme;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.keyfleet.testkit.TestCa;
import io.keyfleet.testkit.TestCa.Authority;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Alipay public-key certificate mode through /v1/sign and /v1/verify (scheme alipay-rsa2-cert), with the certificates
 * served by the key-service stand-in over HTTP: the SNs attached and signed, responses checked with the certificate
 * their alipay_cert_sn names, and every refusal a verdict with its reason, never a 500.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "signing_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubbedKeyService.class)
class CertModeApiIT {

    private final Authority root = TestCa.root("CN=Test Alipay Root,O=Keyfleet Test,C=CN", "SHA256withRSA");
    private final Authority sha1Root = TestCa.root("CN=Test Alipay Root SHA1,O=Keyfleet Test,C=CN", "SHA1withRSA");
    private final Authority ecRoot = TestCa.root("CN=Test Alipay Root EC,O=Keyfleet Test,C=CN", "SHA256withECDSA");
    private final Authority ca = TestCa.intermediate(root, "CN=Test Alipay CA,O=Keyfleet Test,C=CN");
    private final String rootBundle = TestCa.pem(root.certificate(), ecRoot.certificate(), sha1Root.certificate());
    private final String rootSn = AlipayCertificates.certSn(root.certificate()) + "_" + AlipayCertificates.certSn(sha1Root.certificate());

    @Test
    void signsWithTheSnsAndVerifiesAnswersByTheCertificateTheyName() throws Exception {
        String tenant = "tenant-cert-" + UUID.randomUUID();
        KeyPair alipay = TestCa.rsa();
        X509Certificate alipayCert = TestCa.leaf(ca, "CN=Alipay Sandbox,O=Keyfleet Test,C=CN", alipay.getPublic());
        KeyPair expiredKey = TestCa.rsa();
        X509Certificate expired = TestCa.leaf(ca, "CN=Alipay Old,O=Keyfleet Test,C=CN", expiredKey.getPublic(), TestCa.serial(),
                Instant.now().minus(Duration.ofDays(400)), Instant.now().minus(Duration.ofDays(1)));
        KeyPair strangerKey = TestCa.rsa();
        Authority stranger = TestCa.root("CN=Test Alipay Root,O=Keyfleet Test,C=CN", "SHA256withRSA"); // same name, other key
        X509Certificate unchained = TestCa.leaf(stranger, "CN=Alipay Forged,O=Keyfleet Test,C=CN", strangerKey.getPublic());
        StubbedKeyService.putProviderCertificates(tenant, "alipay", "SANDBOX",
                TestCa.pem(alipayCert, expired, unchained, ca.certificate()), rootBundle);

        String keyId = UUID.randomUUID().toString();
        KeyPair app = StubbedKeyService.rsa();
        StubbedKeyService.add(keyId, tenant, "alipay", "2021000000000401", "SANDBOX", 1, app);
        Map<String, Object> signRequest = signRequest("2021000000000401", Map.of("app_cert_sn", "caller-made-up"));
        sign(tenant, signRequest).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("APP_CERTIFICATE_MISSING"));

        X509Certificate appCert = TestCa.leaf(ca, "CN=2021000000000401,O=Keyfleet Test,C=CN", app.getPublic());
        StubbedKeyService.putAppCertificate(keyId, 1, TestCa.pem(appCert, ca.certificate()));
        String appSn = AlipayCertificates.certSn(appCert);
        // the stand-in's app certificates were read a moment ago: a missing one is looked for again after a few seconds
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> sign(tenant, signRequest).then().statusCode(200));
        Map<String, String> attached = sign(tenant, signRequest).then().statusCode(200).extract().path("params");
        assertThat(attached).containsEntry("app_cert_sn", appSn).containsEntry("alipay_root_cert_sn", rootSn);
        Map<String, String> sent = new LinkedHashMap<>(params("2021000000000401"));
        sent.putAll(attached);
        assertThat(verifies(app, AlipayRsa2Scheme.requestContent(sent), attached.get("sign"))).isTrue();
        verify(tenant, Map.of("key", Map.of("provider", "alipay", "appId", "2021000000000401", "environment", "SANDBOX"),
                "scheme", "alipay-rsa2-cert", "kind", "REQUEST", "message", Map.of("params", sent))).then().statusCode(200)
                .body("valid", equalTo(true));

        String sn = AlipayCertificates.certSn(alipayCert);
        String inner = "{\"code\":\"10000\",\"msg\":\"Success\",\"app_auth_token\":\"202611BBa6f1\"}";
        verify(tenant, response(answer(inner, sn, alipay))).then().statusCode(200).body("valid", equalTo(true))
                .body("certSn", equalTo(sn));
        verify(tenant, response(answer(inner, sn, alipay).replace("202611BBa6f1", "202611BBa6f2"))).then().statusCode(200)
                .body("valid", equalTo(false)).body("reason", equalTo("BAD_SIGNATURE"));
        verify(tenant, response(answer(inner, sn, alipay).replace(",\"alipay_cert_sn\":\"" + sn + "\"", ""))).then().statusCode(200)
                .body("valid", equalTo(false)).body("reason", equalTo("CERT_SN_MISSING"));
        verify(tenant, response(answer(inner, "0123456789abcdef0123456789abcdef", alipay))).then().statusCode(200)
                .body("valid", equalTo(false)).body("reason", equalTo("UNKNOWN_CERT_SN"));
        verify(tenant, response(answer(inner, AlipayCertificates.certSn(expired), expiredKey))).then().statusCode(200)
                .body("valid", equalTo(false)).body("reason", equalTo("CERT_EXPIRED"));
        verify(tenant, response(answer(inner, AlipayCertificates.certSn(unchained), strangerKey))).then().statusCode(200)
                .body("valid", equalTo(false)).body("reason", equalTo("CERT_NOT_CHAINED"));
        // signed by another certificate's key than the one named
        verify(tenant, response(answer(inner, sn, expiredKey))).then().statusCode(200).body("reason", equalTo("BAD_SIGNATURE"));

        // the provider changes its certificate: once imported in key-service, answers naming it verify
        KeyPair next = TestCa.rsa();
        X509Certificate nextCert = TestCa.leaf(ca, "CN=Alipay Sandbox 2,O=Keyfleet Test,C=CN", next.getPublic());
        StubbedKeyService.putProviderCertificates(tenant, "alipay", "SANDBOX",
                TestCa.pem(alipayCert, nextCert, ca.certificate()), rootBundle);
        String nextSn = AlipayCertificates.certSn(nextCert);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> verify(tenant, response(answer(inner, nextSn, next))).then()
                .statusCode(200).body("valid", equalTo(true)).body("certSn", equalTo(nextSn)));

        // a notification names no certificate: the held good ones are tried
        Map<String, String> notification = new LinkedHashMap<>();
        notification.put("notify_id", "cert-" + UUID.randomUUID());
        notification.put("notify_type", "trade_status_sync");
        notification.put("sign_type", "RSA2");
        notification.put("sign", sign(next, AlipayRsa2Scheme.notificationContent(notification)));
        verify(tenant, Map.of("key", Map.of("provider", "alipay", "environment", "SANDBOX"), "scheme", "alipay-rsa2-cert",
                "kind", "NOTIFICATION", "message", Map.of("params", notification))).then().statusCode(200)
                .body("valid", equalTo(true)).body("certSn", equalTo(nextSn));
    }

    @Test
    void withoutProviderCertificatesSigningAndVerifyingAreClearProblems() {
        String tenant = "tenant-cert-none-" + UUID.randomUUID();
        String keyId = UUID.randomUUID().toString();
        StubbedKeyService.add(keyId, tenant, "alipay", "2021000000000402", "SANDBOX", 1, StubbedKeyService.rsa());
        sign(tenant, signRequest("2021000000000402", Map.of())).then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("PROVIDER_CERTIFICATE_NOT_FOUND"));
        verify(tenant, response("{\"alipay_open_auth_token_app_response\":{\"code\":\"10000\"},\"alipay_cert_sn\":\"x\",\"sign\":\"AAAA\"}"))
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("PROVIDER_CERTIFICATE_NOT_FOUND"));
    }

    private static Map<String, String> params(String appId) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("app_id", appId);
        params.put("method", "alipay.open.auth.token.app");
        params.put("charset", "UTF-8");
        params.put("sign_type", "RSA2");
        params.put("timestamp", "2026-12-05 12:00:00");
        params.put("version", "1.0");
        params.put("biz_content", "{\"grant_type\":\"authorization_code\",\"code\":\"P-1\"}");
        return params;
    }

    private static Map<String, Object> signRequest(String appId, Map<String, String> extra) {
        Map<String, String> params = params(appId);
        params.putAll(extra);
        return Map.of("key", Map.of("provider", "alipay", "appId", appId, "environment", "SANDBOX"), "scheme", "alipay-rsa2-cert",
                "request", Map.of("params", params));
    }

    private static Map<String, Object> response(String body) {
        return Map.of("key", Map.of("provider", "alipay", "environment", "SANDBOX"), "scheme", "alipay-rsa2-cert", "kind", "RESPONSE",
                "message", Map.of("body", body, "apiMethod", "alipay.open.auth.token.app"));
    }

    private static String answer(String inner, String certSn, KeyPair signer) {
        return "{\"alipay_open_auth_token_app_response\":" + inner + ",\"alipay_cert_sn\":\"" + certSn + "\",\"sign\":\""
                + sign(signer, inner) + "\"}";
    }

    private static String sign(KeyPair pair, String content) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(pair.getPrivate());
            signature.update(content.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean verifies(KeyPair pair, String content, String base64) throws Exception {
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initVerify(pair.getPublic());
        signature.update(content.getBytes(StandardCharsets.UTF_8));
        return signature.verify(Base64.getDecoder().decode(base64));
    }

    private static Response sign(String tenant, Object body) {
        return given().header("X-Keyfleet-Tenant", tenant).contentType(ContentType.JSON).body(body).post("/v1/sign");
    }

    private static Response verify(String tenant, Object body) {
        return given().header("X-Keyfleet-Tenant", tenant).contentType(ContentType.JSON).body(body).post("/v1/verify");
    }
}
