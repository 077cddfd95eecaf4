package io.keyfleet.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.PoolSecretRotated;
import io.keyfleet.events.Topics;
import io.keyfleet.testkit.KafkaClients;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "sync_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(UpstreamWorldResource.class)
class PoolApiIT {

    static final String SECRET = "pool-secret-for-tests-0123";

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    static RequestSpecification as(String tenant) {
        return given().header("X-Keyfleet-Tenant", tenant).contentType(ContentType.JSON);
    }

    static Map<String, Object> definition(String member) {
        Map<String, Object> body = new HashMap<>();
        body.put("providerName", "Acme Cloud");
        body.put("type", "cloud");
        body.put("memberId", member);
        body.put("apiBaseUrl", UpstreamWorldResource.world().url());
        body.put("apiSecret", SECRET);
        body.put("authorizedIps", List.of("203.0.113.7", "10.0.0.0/8"));
        body.put("exchangeRate", "7.1");
        body.put("priceProtection", true);
        body.put("remark", "test pool");
        return body;
    }

    static String newMember() {
        String member = "m-" + UUID.randomUUID().toString().substring(0, 8);
        UpstreamWorldResource.world().member(member, SECRET);
        return member;
    }

    @Test
    void createsAPoolAfterItsCheckAndKeepsTheSecretOutOfItsTables() throws Exception {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String member = newMember();
        String id = as(tenant).body(definition(member)).post("/v1/pools").then().statusCode(201)
                .body("pool.health", equalTo("HEALTHY")).body("check.ok", equalTo(true))
                .body("check.steps[3].message", containsString("1234.5")).extract().path("pool.id");
        assertThat(UpstreamWorldResource.world().holdsPoolSecret(SECRET)).isTrue();
        String shown = as(tenant).get("/v1/pools/" + id).then().statusCode(200).body("secretVersion", equalTo(1)).extract().asString();
        assertThat(shown).doesNotContain(SECRET);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("select count(*) from pool p where cast(p as text) like '%" + SECRET + "%'")) {
            row.next();
            assertThat(row.getInt(1)).isZero();
        }

        as(tenant).get("/v1/pools?search=ACME").then().statusCode(200).body("size()", equalTo(1));
        as(tenant).get("/v1/pools?search=nothing-like-it").then().body("size()", equalTo(0));
        as(tenant).body(Map.of("remark", "renamed", "exchangeRate", "6.9")).put("/v1/pools/" + id).then().statusCode(200)
                .body("pool.remark", equalTo("renamed")).body("pool.exchangeRate", equalTo(6.9f));
        as("t-someone-else").get("/v1/pools/" + id).then().statusCode(404);
        as(tenant).delete("/v1/pools/" + id).then().statusCode(204);
        as(tenant).get("/v1/pools/" + id).then().statusCode(404);
    }

    @Test
    void badDefinitionsAreRefusedNamingTheFieldAndNothingIsStored() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String member = newMember();
        Map<String, Object> badUrl = definition(member);
        badUrl.put("apiBaseUrl", "ftp://example.com/api");
        as(tenant).body(badUrl).post("/v1/pools").then().statusCode(400).body("detail", startsWith("apiBaseUrl:"));

        Map<String, Object> tooManyIps = definition(member);
        List<String> ips = new ArrayList<>();
        for (int i = 1; i <= 11; i++) {
            ips.add("192.0.2." + i);
        }
        tooManyIps.put("authorizedIps", ips);
        as(tenant).body(tooManyIps).post("/v1/pools").then().statusCode(400).body("detail", startsWith("authorizedIps:"));

        Map<String, Object> badIp = definition(member);
        badIp.put("authorizedIps", List.of("10.0.0.1", "not-an-ip"));
        as(tenant).body(badIp).post("/v1/pools").then().statusCode(400).body("detail", containsString("not-an-ip"));

        Map<String, Object> negativeRate = definition(member);
        negativeRate.put("exchangeRate", "-1");
        as(tenant).body(negativeRate).post("/v1/pools").then().statusCode(400).body("detail", startsWith("exchangeRate:"));

        Map<String, Object> noSecret = definition(member);
        noSecret.remove("apiSecret");
        as(tenant).body(noSecret).post("/v1/pools").then().statusCode(400).body("detail", startsWith("apiSecret:"));

        Map<String, Object> wrongSecret = definition(member);
        wrongSecret.put("apiSecret", "not-the-right-secret");
        as(tenant).body(wrongSecret).post("/v1/pools").then().statusCode(422).body("code", equalTo("POOL_CHECK_FAILED"))
                .body("detail", startsWith("apiSecret:"));

        Map<String, Object> unreachable = definition(member);
        unreachable.put("apiBaseUrl", UpstreamWorldResource.closedUrl()); // allowed by the outbound policy, nothing listens
        as(tenant).body(unreachable).post("/v1/pools").then().statusCode(422).body("code", equalTo("POOL_CHECK_FAILED"))
                .body("detail", startsWith("apiBaseUrl:"));

        Map<String, Object> internal = definition(member);
        internal.put("apiBaseUrl", "http://127.0.0.1:9"); // loopback, not on the allow-list: refused, not tried
        as(tenant).body(internal).post("/v1/pools").then().statusCode(400).body("code", equalTo("OUTBOUND_ADDRESS_REFUSED"))
                .body("detail", startsWith("apiBaseUrl:"));

        as(tenant).get("/v1/pools").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aGeneratedSecretIsShownOnceAndThePoolWaitsForACheck() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = definition(newMember());
        body.remove("apiSecret");
        body.put("generateSecret", true);
        Map<String, Object> created = as(tenant).body(body).post("/v1/pools").then().statusCode(201)
                .body("pool.health", equalTo("UNCHECKED")).extract().jsonPath().getMap("$");
        String secret = (String) created.get("generatedSecret");
        assertThat(secret).hasSize(40);
        String id = as(tenant).get("/v1/pools").then().extract().path("[0].id");
        as(tenant).get("/v1/pools/" + id).then().body(org.hamcrest.Matchers.not(containsString(secret)));
        // not registered upstream yet: the check says what to do
        as(tenant).post("/v1/pools/" + id + "/check").then().statusCode(200).body("ok", equalTo(false))
                .body("health", equalTo("AUTH_FAILED")).body("steps[1].message", containsString("API secret"));
        as(tenant).get("/v1/pools/" + id).then().body("health", equalTo("AUTH_FAILED"));
    }

    @Test
    void theConnectivityCheckNeverHangsPastItsTimeout() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        UpstreamWorldResource.world().accountDelay(60_000);
        try {
            Instant start = Instant.now();
            as(tenant).body(definition(newMember())).post("/v1/pools/check").then().statusCode(200)
                    .body("ok", equalTo(false)).body("health", equalTo("UNREACHABLE")).body("steps[0].message", containsString("within 5000 ms"));
            // the configured bound is 5 s (test profile); the upstream would take a minute
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(30));
        } finally {
            UpstreamWorldResource.world().accountDelay(0);
        }
    }

    /**
     * Issue 14: the broker has no authentication, so anyone can publish a PoolSecretRotated. A pool moves to the new
     * version only once key-service confirms it holds that version.
     */
    @Test
    void aRotationKeyServiceDoesNotConfirmIsNotAdopted() throws Exception {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String id = as(tenant).body(definition(newMember())).post("/v1/pools").then().statusCode(201).extract().path("pool.id");

        publish(tenant, new PoolSecretRotated(id, 1, 7)); // key-service has no version 7
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> KafkaClients.groupHasConsumedAll(bootstrapServers, "sync-service", Topics.KEYS));
        as(tenant).get("/v1/pools/" + id).then().statusCode(200).body("secretVersion", equalTo(1)).body("health", equalTo("HEALTHY"));

        UpstreamWorldResource.world().poolSecret(tenant, id, 2, SECRET);
        publish(tenant, new PoolSecretRotated(id, 1, 2));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                as(tenant).get("/v1/pools/" + id).then().statusCode(200).body("secretVersion", equalTo(2)).body("health", equalTo("HEALTHY")));
    }

    private void publish(String tenant, io.keyfleet.events.DomainEvent event) throws Exception {
        EventEnvelope envelope = EventEnvelope.wrap(tenant, event, Instant.now());
        try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrapServers)) {
            producer.send(new ProducerRecord<>(envelope.topic(), envelope.aggregateId(), EventCodec.encode(envelope))).get();
        }
    }
}
