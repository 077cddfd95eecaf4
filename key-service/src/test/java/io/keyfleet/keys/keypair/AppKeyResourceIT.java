package io.keyfleet.keys.keypair;

import io.keyfleet.keys.support.Database;
import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.KeyCreated;
import io.keyfleet.events.KeyRotated;
import io.keyfleet.keys.support.KeyEvents;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class AppKeyResourceIT {

    @Inject
    EntityManager entityManager;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void generatesAPairShowsThePrivateKeyOnceAndRotatesWithAGracePeriod() throws Exception {
        String tenant = newTenant();
        JsonPath created = as(tenant).contentType(ContentType.JSON)
                .body("{\"provider\":\"alipay\",\"appId\":\"2021000000000001\",\"environment\":\"SANDBOX\"}")
                .post("/v1/keys")
                .then().statusCode(201).header("Location", containsString("/v1/keys/"))
                .body("version", equalTo(1))
                .body("state", equalTo("CURRENT"))
                .body("algorithm", equalTo("RSA_2048"))
                .body("privateKeyPem", containsString("-----BEGIN PRIVATE KEY-----"))
                .extract().jsonPath();
        String keyId = created.getString("keyId");

        byte[] spki = Base64.getDecoder().decode(created.getString("publicKeyBase64"));
        RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
        assertThat(publicKey.getModulus().bitLength()).isEqualTo(2048);
        assertThat(created.getString("fingerprint")).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki)));
        assertPrivateKeySignsForPublicKey(created.getString("privateKeyPem"), publicKey);

        as(tenant).get("/v1/keys/{k}", keyId)
                .then().statusCode(200)
                .body("currentVersion", equalTo(1))
                .body("versions", hasSize(1))
                .body("versions[0].canSign", equalTo(true))
                .body(not(containsString("PRIVATE")));

        JsonPath rotated = as(tenant).post("/v1/keys/{k}/rotate", keyId)
                .then().statusCode(200).body("version", equalTo(2)).body("privateKeyPem", containsString("PRIVATE KEY"))
                .extract().jsonPath();
        assertThat(rotated.getString("fingerprint")).isNotEqualTo(created.getString("fingerprint"));

        JsonPath view = as(tenant).get("/v1/keys/{k}", keyId).then().statusCode(200).extract().jsonPath();
        assertThat(view.getInt("currentVersion")).isEqualTo(2);
        assertThat(view.getString("versions[0].state")).isEqualTo("PREVIOUS");
        assertThat(Instant.parse(view.getString("versions[0].validUntil")))
                .isBetween(Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));
        assertThat(view.getString("versions[1].state")).isEqualTo("CURRENT");

        List<EventEnvelope> events = KeyEvents.of(bootstrapServers, keyId, KeyEvents.atLeast(2));
        assertThat(events).extracting(EventEnvelope::type).containsExactly("KeyCreated", "KeyRotated");
        assertThat(EventCodec.payload(events.get(0), KeyCreated.class).fingerprint()).isEqualTo(created.getString("fingerprint"));
        KeyRotated keyRotated = EventCodec.payload(events.get(1), KeyRotated.class);
        assertThat(keyRotated.previousVersion()).isEqualTo(1);
        assertThat(keyRotated.newVersion()).isEqualTo(2);
        assertThat(keyRotated.previousValidUntil()).isEqualTo(Instant.parse(view.getString("versions[0].validUntil")));
        assertThat(events).allSatisfy(event -> assertThat(EventCodec.encode(event))
                .doesNotContain("PRIVATE").doesNotContain(created.getString("privateKeyPem").substring(40, 80)));
    }

    @Test
    void otherAlgorithmsOnRequest() {
        String tenant = newTenant();
        for (String algorithm : List.of("RSA_3072", "EC_P256", "ED25519")) {
            as(tenant).contentType(ContentType.JSON)
                    .body("{\"provider\":\"antom\",\"appId\":\"app-" + algorithm + "\",\"environment\":\"SANDBOX\",\"algorithm\":\"" + algorithm + "\"}")
                    .post("/v1/keys").then().statusCode(201).body("algorithm", equalTo(algorithm));
        }
    }

    @Test
    void stagedReplacePendingThenPromote() {
        String tenant = newTenant();
        String keyId = generate(tenant, "staged-app", "PRODUCTION");
        as(tenant).contentType(ContentType.JSON).body("{}").post("/v1/keys/{k}/versions", keyId)
                .then().statusCode(201).body("version", equalTo(2)).body("state", equalTo("PENDING"))
                .body("privateKeyPem", containsString("PRIVATE KEY"));
        as(tenant).contentType(ContentType.JSON).body("{}").post("/v1/keys/{k}/versions", keyId)
                .then().statusCode(409).body("code", equalTo("PENDING_VERSION_EXISTS"));
        as(tenant).post("/v1/keys/{k}/rotate", keyId).then().statusCode(409).body("code", equalTo("PENDING_VERSION_EXISTS"));
        as(tenant).get("/v1/keys/{k}", keyId).then().body("currentVersion", equalTo(1)).body("versions[1].state", equalTo("PENDING"));

        as(tenant).post("/v1/keys/{k}/versions/2/promote", keyId)
                .then().statusCode(200).body("currentVersion", equalTo(2))
                .body("versions[0].state", equalTo("PREVIOUS")).body("versions[1].state", equalTo("CURRENT"));
        as(tenant).post("/v1/keys/{k}/versions/2/promote", keyId).then().statusCode(409).body("code", equalTo("VERSION_NOT_PENDING"));

        as(tenant).post("/v1/keys/{k}/versions/2/revoke", keyId).then().statusCode(409).body("code", equalTo("VERSION_IS_CURRENT"));
        as(tenant).queryParam("reason", "old key leaked").post("/v1/keys/{k}/versions/1/revoke", keyId)
                .then().statusCode(200).body("versions[0].state", equalTo("RETIRED"));
    }

    @Test
    void bringYourOwnPairOrPublicKey() throws Exception {
        String tenant = newTenant();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var pair = generator.generateKeyPair();
        String privatePem = pem("PRIVATE KEY", pair.getPrivate().getEncoded());
        String publicBase64 = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());

        as(tenant).contentType(ContentType.JSON)
                .body(json("alipay", "byo-pair", "SANDBOX", privatePem, publicBase64))
                .post("/v1/keys/import").then().statusCode(201)
                .body("publicKeyBase64", equalTo(publicBase64))
                .body("privateKeyPem", nullValue());

        String publicOnly = as(tenant).contentType(ContentType.JSON)
                .body(json("alipay", "byo-public", "PRODUCTION", null, publicBase64))
                .post("/v1/keys/import").then().statusCode(409).body("code", equalTo("KEY_SHARED_ACROSS_ENVIRONMENTS"))
                .extract().asString();
        assertThat(publicOnly).doesNotContain(publicBase64.substring(30, 60));

        var other = generator.generateKeyPair();
        String keyId = as(tenant).contentType(ContentType.JSON)
                .body(json("alipay", "byo-public", "PRODUCTION", null, Base64.getEncoder().encodeToString(other.getPublic().getEncoded())))
                .post("/v1/keys/import").then().statusCode(201).extract().path("keyId");
        as(tenant).get("/v1/keys/{k}", keyId).then().body("origin", equalTo("IMPORTED_PUBLIC_KEY")).body("versions[0].canSign", equalTo(false));

        String mismatched = json("alipay", "byo-mismatch", "SANDBOX", privatePem, Base64.getEncoder().encodeToString(other.getPublic().getEncoded()));
        as(tenant).contentType(ContentType.JSON).body(mismatched).post("/v1/keys/import")
                .then().statusCode(422).contentType("application/problem+json").body("code", equalTo("KEY_MISMATCH"))
                .body(not(containsString(privatePem.substring(40, 80))));

        KeyPairGenerator weak = KeyPairGenerator.getInstance("RSA");
        weak.initialize(1024);
        as(tenant).contentType(ContentType.JSON)
                .body(json("alipay", "byo-weak", "SANDBOX", null, Base64.getEncoder().encodeToString(weak.generateKeyPair().getPublic().getEncoded())))
                .post("/v1/keys/import").then().statusCode(422).body("code", equalTo("KEY_TOO_WEAK")).body("detail", containsString("1024"));
        as(tenant).contentType(ContentType.JSON).body(json("alipay", "byo-garbage", "SANDBOX", null, "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----"))
                .post("/v1/keys/import").then().statusCode(400).body("code", equalTo("KEY_MALFORMED"));
        as(tenant).contentType(ContentType.JSON).body(json("alipay", "byo-none", "SANDBOX", null, null))
                .post("/v1/keys/import").then().statusCode(400).body("code", equalTo("KEY_MISSING"));
    }

    @Test
    void publicKeyDownloadsAsPemAndBareBase64() {
        String tenant = newTenant();
        JsonPath created = as(tenant).contentType(ContentType.JSON)
                .body("{\"provider\":\"alipay\",\"appId\":\"download\",\"environment\":\"SANDBOX\"}")
                .post("/v1/keys").then().statusCode(201).extract().jsonPath();
        String keyId = created.getString("keyId");
        as(tenant).get("/v1/keys/{k}/public-key", keyId).then().statusCode(200)
                .header("Content-Disposition", containsString("download-sandbox-v1.pem"))
                .body(equalTo(created.getString("publicKeyPem")));
        as(tenant).get("/v1/keys/{k}/public-key?format=base64", keyId).then().statusCode(200)
                .body(equalTo(created.getString("publicKeyBase64")));
        as(tenant).get("/v1/keys/{k}/public-key?format=der", keyId).then().statusCode(400).body("code", equalTo("FORMAT_UNKNOWN"));
        as(tenant).get("/v1/keys/{k}/public-key?version=7", keyId).then().statusCode(404).body("code", equalTo("VERSION_NOT_FOUND"));
    }

    @Test
    void listFiltersAndPages() {
        String tenant = newTenant();
        for (int i = 0; i < 5; i++) {
            generate(tenant, "list-app-" + i, i % 2 == 0 ? "SANDBOX" : "PRODUCTION");
        }
        as(tenant).get("/v1/keys?size=2&page=1").then().statusCode(200)
                .body("items", hasSize(2)).body("total", equalTo(5)).body("page", equalTo(1));
        as(tenant).get("/v1/keys?environment=PRODUCTION").then().body("total", equalTo(2));
        as(tenant).get("/v1/keys?appId=list-app-3").then().body("items[0].appId", equalTo("list-app-3"));
        as(tenant).get("/v1/keys?size=1000").then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
    }

    @Test
    void aSecondKeyForTheSameAppAndEnvironmentIsAConflict() {
        String tenant = newTenant();
        generate(tenant, "app-1", "PRODUCTION");
        as(tenant).contentType(ContentType.JSON).body("{\"provider\":\"alipay\",\"appId\":\"app-1\",\"environment\":\"PRODUCTION\"}")
                .post("/v1/keys").then().statusCode(409).contentType("application/problem+json").body("code", equalTo("KEY_EXISTS"));
        generate(tenant, "app-1", "SANDBOX");
    }

    @Test
    void revokedKeysChangeNoMore() {
        String tenant = newTenant();
        String keyId = generate(tenant, "revoked", "SANDBOX");
        as(tenant).queryParam("reason", "app closed").post("/v1/keys/{k}/revoke", keyId)
                .then().statusCode(200).body("versions[0].state", equalTo("RETIRED")).body("revokedAt", not(nullValue()));
        as(tenant).post("/v1/keys/{k}/rotate", keyId).then().statusCode(409).body("code", equalTo("KEY_REVOKED"));
    }

    @Test
    void badInputIsAProblemAndWritesNothing() {
        String tenant = newTenant();
        long keysBefore = Database.count(entityManager, "app_key");
        long eventsBefore = Database.count(entityManager, "outbox_event");

        as(tenant).contentType(ContentType.JSON).body("{\"provider\":\"alipay\",").post("/v1/keys")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("MALFORMED_JSON"));
        as(tenant).contentType(ContentType.JSON).body("{\"provider\":\"alipay\",\"appId\":\"a\",\"environment\":\"STAGING\"}").post("/v1/keys")
                .then().statusCode(400).body("code", equalTo("INVALID_FIELD_TYPE")).body("detail", containsString("SANDBOX"));
        as(tenant).contentType(ContentType.JSON).body("{\"provider\":\"alipay\",\"appId\":[1],\"environment\":\"SANDBOX\"}").post("/v1/keys")
                .then().statusCode(400).contentType("application/problem+json");
        as(tenant).contentType(ContentType.JSON).body("{\"provider\":\"alipay\",\"appId\":\"a\",\"environment\":\"SANDBOX\",\"algorithm\":\"RSA_1024\"}").post("/v1/keys")
                .then().statusCode(400).body("code", equalTo("INVALID_FIELD_TYPE"));
        as(tenant).contentType(ContentType.JSON).body("{\"provider\":\"Not A Provider!\",\"appId\":\"a\",\"environment\":\"SANDBOX\"}").post("/v1/keys")
                .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED")).body("errors[0].field", equalTo("provider"));
        as(tenant).contentType(ContentType.JSON).body("{\"provider\":\"alipay\",\"appId\":\"a\",\"environment\":\"SANDBOX\",\"policy\":{\"warnDaysBefore\":40,\"rotateAfterDays\":30}}")
                .post("/v1/keys").then().statusCode(400).body("code", equalTo("POLICY_INVALID"));
        as("no-such-tenant").contentType(ContentType.JSON).body("{\"provider\":\"alipay\",\"appId\":\"a\",\"environment\":\"SANDBOX\"}").post("/v1/keys")
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("TENANT_NOT_FOUND"));
        io.restassured.RestAssured.given().contentType(ContentType.JSON).body("{\"provider\":\"alipay\",\"appId\":\"a\",\"environment\":\"SANDBOX\"}")
                .post("/v1/keys").then().statusCode(401).body("code", equalTo("MISSING"));
        as(tenant).contentType(ContentType.JSON).body("{\"provider\":\"alipay\",\"appId\":\"" + "a".repeat(2_000_000) + "\"}").post("/v1/keys")
                .then().statusCode(413).contentType("application/problem+json").body("code", equalTo("PAYLOAD_TOO_LARGE"));
        as(tenant).post("/v1/keys/{k}/rotate", UUID.randomUUID()).then().statusCode(404).body("code", equalTo("KEY_NOT_FOUND"));
        as(tenant).post("/v1/keys/not-a-uuid/rotate").then().statusCode(404).contentType("application/problem+json");

        assertThat(Database.count(entityManager, "app_key")).isEqualTo(keysBefore);
        assertThat(Database.count(entityManager, "outbox_event")).isEqualTo(eventsBefore);
    }

    @Test
    void anotherTenantsKeyIsNotFound() {
        String owner = newTenant();
        String stranger = newTenant();
        String keyId = generate(owner, "app-9", "SANDBOX");
        as(stranger).get("/v1/keys/{k}", keyId).then().statusCode(404).body("code", equalTo("KEY_NOT_FOUND"));
        as(stranger).post("/v1/keys/{k}/rotate", keyId).then().statusCode(404);
        as(stranger).get("/v1/keys").then().body("total", equalTo(0));
    }

    static String generate(String tenant, String appId, String environment) {
        return as(tenant).contentType(ContentType.JSON)
                .body("{\"provider\":\"alipay\",\"appId\":\"" + appId + "\",\"environment\":\"" + environment + "\"}")
                .post("/v1/keys").then().statusCode(201).extract().path("keyId");
    }

    private static String json(String provider, String appId, String environment, String privatePem, String publicKey) {
        StringBuilder body = new StringBuilder("{\"provider\":\"" + provider + "\",\"appId\":\"" + appId + "\",\"environment\":\"" + environment + "\"");
        if (privatePem != null) {
            body.append(",\"privateKeyPem\":\"").append(privatePem.replace("\n", "\\n")).append('"');
        }
        if (publicKey != null) {
            body.append(",\"publicKey\":\"").append(publicKey.replace("\n", "\\n")).append('"');
        }
        return body.append('}').toString();
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }


    private static void assertPrivateKeySignsForPublicKey(String privateKeyPem, RSAPublicKey publicKey) throws Exception {
        String base64 = privateKeyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        var privateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(privateKey);
        signer.update("hello".getBytes());
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey);
        verifier.update("hello".getBytes());
        assertThat(verifier.verify(signature)).isTrue();
    }
}
