package io.keyfleet.keys.providerkey;

import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class ProviderKeyResourceIT {

    @Test
    void replacingKeepsThePreviousKeyVerifyingForItsGracePeriod() throws Exception {
        String tenant = newTenant();
        String first = newPublicKey();
        String second = newPublicKey();

        String id = as(tenant).contentType(ContentType.JSON).body(body(first, "PT3S")).put("/v1/provider-keys")
                .then().statusCode(200).body("currentVersion", equalTo(1)).body("versions[0].publicKey", equalTo(first))
                .extract().path("id");
        as(tenant).contentType(ContentType.JSON).body(body(first, null)).put("/v1/provider-keys")
                .then().statusCode(200).body("currentVersion", equalTo(1));
        as(tenant).contentType(ContentType.JSON).body(body(second, null)).put("/v1/provider-keys")
                .then().statusCode(200).body("id", equalTo(id)).body("currentVersion", equalTo(2))
                .body("versions", hasSize(2)).body("versions[0].state", equalTo("PREVIOUS")).body("versions[1].state", equalTo("CURRENT"));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                as(tenant).get("/v1/provider-keys/{id}", id).then().body("versions[0].state", equalTo("RETIRED")));
        as(tenant).get("/v1/provider-keys?provider=alipay").then().body("size()", equalTo(1));
        as(newTenant()).get("/v1/provider-keys/{id}", id).then().statusCode(404).body("code", equalTo("PROVIDER_KEY_NOT_FOUND"));
    }

    @Test
    void aGracePeriodOutsideZeroToNinetyDaysIsRefused() throws Exception {
        String tenant = newTenant();
        for (String grace : new String[] {"PT-1H", "P91D", "PT2562047788015215H"}) {
            as(tenant).contentType(ContentType.JSON).body(body(newPublicKey(), grace)).put("/v1/provider-keys")
                    .then().statusCode(400).body("code", equalTo("GRACE_PERIOD_INVALID"));
        }
        as(tenant).get("/v1/provider-keys").then().body("size()", equalTo(0));
    }

    @Test
    void aPrivateKeyOrACertificateIsRefusedWithoutEchoingIt() throws Exception {
        String tenant = newTenant();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String privateBase64 = Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
        String pem = "-----BEGIN PRIVATE KEY-----\\n" + privateBase64 + "\\n-----END PRIVATE KEY-----";
        String response = as(tenant).contentType(ContentType.JSON).body(body(pem, null)).put("/v1/provider-keys")
                .then().statusCode(org.hamcrest.Matchers.either(equalTo(400)).or(equalTo(422)))
                .body("code", equalTo("KEY_WRONG_KIND")).extract().asString();
        assertThat(response).doesNotContain(privateBase64.substring(100, 140));
    }

    private static String body(String publicKey, String grace) {
        return "{\"provider\":\"alipay\",\"environment\":\"SANDBOX\",\"publicKey\":\"" + publicKey + "\""
                + (grace == null ? "" : ",\"gracePeriod\":\"" + grace + "\"") + "}";
    }

    private static String newPublicKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded());
    }
}
