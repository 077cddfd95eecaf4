package io.keyfleet.keys.secretsafety;

import io.keyfleet.keys.support.Database;
import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Plants known private keys (one imported, one generated here) and app secrets (an imported AES content key, a
 * generated HMAC secret), then dumps every row of every table of key-service's
 * database as text and reads the test log, and searches both for the keys and the master key, in base64 and hex.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class NoSecretInClearIT {

    @Inject
    EntityManager entityManager;

    @ConfigProperty(name = "quarkus.log.file.path")
    Path logFile;

    @ConfigProperty(name = "keyfleet.secrets.local.master-keys")
    String masterKeys;

    @Test
    void neitherTheDatabaseNorTheLogHoldsAPrivateKeyOrTheMasterKey() throws Exception {
        String tenant = newTenant();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        byte[] planted = generator.generateKeyPair().getPrivate().getEncoded();
        String plantedPem = "-----BEGIN PRIVATE KEY-----\\n" + Base64.getEncoder().encodeToString(planted) + "\\n-----END PRIVATE KEY-----";
        String keyId = as(tenant).contentType(ContentType.JSON)
                .body("{\"provider\":\"alipay\",\"appId\":\"planted\",\"environment\":\"SANDBOX\",\"privateKeyPem\":\"" + plantedPem + "\"}")
                .post("/v1/keys/import").then().statusCode(201).extract().path("keyId");
        String generatedPem = as(tenant).post("/v1/keys/{k}/rotate", keyId).then().statusCode(200).extract().path("privateKeyPem");
        byte[] generated = Base64.getMimeDecoder().decode(generatedPem.replaceAll("-----[A-Z ]+-----", ""));

        // app secrets too: an imported content key (Alipay's encrypt_key) and a generated HMAC secret
        byte[] contentKey = new byte[32];
        new java.security.SecureRandom().nextBytes(contentKey);
        String contentKeyBase64 = Base64.getEncoder().encodeToString(contentKey);
        as(tenant).contentType(ContentType.JSON).body("{\"provider\":\"alipay\",\"appId\":\"planted\",\"environment\":\"SANDBOX\","
                + "\"type\":\"AES\",\"secret\":\"" + contentKeyBase64 + "\"}").post("/v1/app-secrets").then().statusCode(201);
        String hmacSecret = as(tenant).contentType(ContentType.JSON).body("{\"provider\":\"alipay\",\"appId\":\"planted\","
                + "\"environment\":\"SANDBOX\",\"type\":\"HMAC_SHA256\"}").post("/v1/app-secrets").then().statusCode(201)
                .extract().path("secret");

        String dump = Database.dump(entityManager);
        String log = Files.exists(logFile) ? Files.readString(logFile) : "";
        assertThat(dump).as("the dump really has the key rows").contains(keyId);
        for (String haystack : List.of(dump, log)) {
            for (byte[] secret : List.of(planted, generated)) {
                assertThat(haystack).doesNotContain(Base64.getEncoder().encodeToString(secret).substring(200, 260));
                assertThat(haystack).doesNotContain(HexFormat.of().formatHex(secret).substring(400, 480));
            }
            for (String secret : List.of(contentKeyBase64, hmacSecret)) {
                assertThat(haystack).doesNotContain(secret);
                assertThat(haystack).doesNotContain(HexFormat.of().formatHex(Base64.getDecoder().decode(secret)));
            }
            for (String masterKey : masterKeys.split(",")) {
                String material = masterKey.substring(masterKey.indexOf(':') + 1).trim();
                assertThat(haystack).doesNotContain(material);
                assertThat(haystack).doesNotContain(HexFormat.of().formatHex(Base64.getDecoder().decode(material)));
            }
        }
    }

}
