package io.keyfleet.keys.certificate;

import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.kit.crypto.AlipayCertificates;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.keyfleet.testkit.TestCa;
import io.keyfleet.testkit.TestCa.Authority;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Alipay certificate mode in key-service: what is stored, what is refused and with which code, and tenant boundaries. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class CertificateResourceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Authority root = TestCa.root("CN=Test Alipay Root,O=Keyfleet Test,C=CN", "SHA256withRSA");
    private final Authority ecRoot = TestCa.root("CN=Test Alipay Root EC,O=Keyfleet Test,C=CN", "SHA256withECDSA");
    private final Authority ca = TestCa.intermediate(root, "CN=Test Alipay CA Class 2,O=Keyfleet Test,C=CN");
    private final X509Certificate alipayCert = TestCa.leaf(ca, "CN=Alipay Sandbox,O=Keyfleet Test,C=CN", TestCa.rsa().getPublic());
    private final String rootBundle = TestCa.pem(root.certificate(), ecRoot.certificate());

    @Test
    void providerCertificatesAndAnAppCertificateAreStoredWithTheSdksSerialNames() throws Exception {
        String tenant = newTenant();
        String id = putProvider(tenant, TestCa.pem(alipayCert, ca.certificate()), rootBundle).then().statusCode(200)
                .body("rootCertSn", equalTo(AlipayCertificates.certSn(root.certificate())))
                .body("certificates", hasSize(2))
                .body("certificates[0].certSn", equalTo(AlipayCertificates.certSn(alipayCert)))
                .body("certificates[0].ca", equalTo(false))
                .body("rootCertificates", hasSize(2)).extract().path("id");

        Map<String, Object> key = newKey(tenant, "2021000000000101");
        String keyId = (String) key.get("keyId");
        X509Certificate appCert = TestCa.leaf(ca, "CN=2021000000000101,O=Keyfleet Test,C=CN", publicKey((String) key.get("publicKeyBase64")));
        as(tenant).contentType(ContentType.JSON).body(Map.of("certificate", TestCa.pem(appCert, ca.certificate())))
                .put("/v1/keys/{id}/certificates", keyId).then().statusCode(200)
                .body("keyVersion", equalTo(1)).body("appCertSn", equalTo(AlipayCertificates.certSn(appCert)));
        as(tenant).get("/v1/keys/{id}/certificates", keyId).then().statusCode(200).body("", hasSize(1))
                .body("[0].appCertSn", equalTo(AlipayCertificates.certSn(appCert)));
        as(tenant).get("/v1/provider-certificates?provider=alipay&environment=SANDBOX").then().statusCode(200).body("", hasSize(1))
                .body("[0].id", equalTo(id));

        // another tenant sees nothing of it
        String other = newTenant();
        as(other).get("/v1/provider-certificates/{id}", id).then().statusCode(404).body("code", equalTo("PROVIDER_CERTIFICATE_NOT_FOUND"));
        as(other).get("/v1/provider-certificates").then().statusCode(200).body("", hasSize(0));
        as(other).get("/v1/keys/{id}/certificates", keyId).then().statusCode(404);
        as(other).contentType(ContentType.JSON).body(Map.of("certificate", TestCa.pem(appCert)))
                .put("/v1/keys/{id}/certificates", keyId).then().statusCode(404);
    }

    @Test
    void garbageExpiredUnchainedAndForeignKeysAreRefusedWithClearCodes() throws Exception {
        String tenant = newTenant();
        putProvider(tenant, "not a certificate", rootBundle).then().statusCode(400).body("code", equalTo("CERT_MALFORMED"));
        putProvider(tenant, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", rootBundle).then().statusCode(400)
                .body("code", equalTo("CERT_MALFORMED"));
        String privateBase64 = Base64.getEncoder().encodeToString(TestCa.rsa().getPrivate().getEncoded());
        String refusal = putProvider(tenant, "-----BEGIN PRIVATE KEY-----\n" + privateBase64 + "\n-----END PRIVATE KEY-----", rootBundle)
                .then().statusCode(400).body("code", equalTo("CERT_MALFORMED")).extract().asString();
        assertThat(refusal).doesNotContain(privateBase64.substring(100, 140));
        putProvider(tenant, TestCa.pem(alipayCert), TestCa.pem(ecRoot.certificate())).then().statusCode(400)
                .body("code", equalTo("CERT_MALFORMED")); // no RSA root: no alipay_root_cert_sn
        putProvider(tenant, TestCa.pem(alipayCert), rootBundle).then().statusCode(400)
                .body("code", equalTo("CERT_NOT_CHAINED")); // the intermediate is missing
        Authority stranger = TestCa.root("CN=Test Alipay Root,O=Keyfleet Test,C=CN", "SHA256withRSA"); // same name, other key
        putProvider(tenant, TestCa.pem(alipayCert, ca.certificate()), TestCa.pem(stranger.certificate())).then().statusCode(400)
                .body("code", equalTo("CERT_NOT_CHAINED"));
        X509Certificate expired = TestCa.leaf(ca, "CN=Alipay Old,O=Keyfleet Test,C=CN", TestCa.rsa().getPublic(), TestCa.serial(),
                Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1)));
        putProvider(tenant, TestCa.pem(expired, ca.certificate()), rootBundle).then().statusCode(400).body("code", equalTo("CERT_EXPIRED"));
        as(tenant).get("/v1/provider-certificates").then().body("", hasSize(0));

        Map<String, Object> key = newKey(tenant, "2021000000000102");
        String keyId = (String) key.get("keyId");
        X509Certificate appCert = TestCa.leaf(ca, "CN=2021000000000102", publicKey((String) key.get("publicKeyBase64")));
        putApp(tenant, keyId, TestCa.pem(appCert, ca.certificate())).then().statusCode(409).body("code", equalTo("ROOT_CERTIFICATE_MISSING"));
        putProvider(tenant, TestCa.pem(alipayCert, ca.certificate()), rootBundle).then().statusCode(200);
        putApp(tenant, keyId, TestCa.pem(TestCa.leaf(ca, "CN=2021000000000102", TestCa.rsa().getPublic()), ca.certificate()))
                .then().statusCode(400).body("code", equalTo("CERT_KEY_MISMATCH"));
        putApp(tenant, keyId, TestCa.pem(appCert)).then().statusCode(400).body("code", equalTo("CERT_NOT_CHAINED"));
        putApp(tenant, keyId, TestCa.pem(ca.certificate())).then().statusCode(400).body("code", equalTo("CERT_MALFORMED"));
        putApp(tenant, keyId, "x".repeat(AlipayCertificates.MAX_PEM_CHARS + 1)).then().statusCode(400);
        as(tenant).get("/v1/keys/{id}/certificates", keyId).then().body("", hasSize(0));
        putApp(tenant, keyId, TestCa.pem(appCert, ca.certificate())).then().statusCode(200);
    }

    private static io.restassured.response.Response putProvider(String tenant, String certificate, String rootCertificate) {
        return as(tenant).contentType(ContentType.JSON).body(Map.of("provider", "alipay", "environment", "SANDBOX",
                "certificate", certificate, "rootCertificate", rootCertificate)).put("/v1/provider-certificates");
    }

    private static io.restassured.response.Response putApp(String tenant, String keyId, String certificate) {
        return as(tenant).contentType(ContentType.JSON).body(Map.of("certificate", certificate)).put("/v1/keys/{id}/certificates", keyId);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> newKey(String tenant, String appId) throws Exception {
        String body = as(tenant).contentType(ContentType.JSON)
                .body(Map.of("provider", "alipay", "appId", appId, "environment", "SANDBOX")).post("/v1/keys")
                .then().statusCode(201).extract().asString();
        return JSON.readValue(body, Map.class);
    }

    private static PublicKey publicKey(String base64) throws Exception {
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

}
