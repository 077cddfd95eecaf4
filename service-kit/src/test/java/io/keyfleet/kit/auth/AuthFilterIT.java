package io.keyfleet.kit.auth;

import io.keyfleet.keys.api.Verification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.auth.RequestSignature;
import io.keyfleet.auth.SignedRequestHeaders;
import io.keyfleet.auth.VerificationCode;
import io.keyfleet.events.CredentialRevoked;
import io.keyfleet.events.CredentialRotated;
import io.keyfleet.events.CredentialUpdated;
import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.testkit.KafkaClients;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The authentication filter over real HTTP, with key-service's answers from {@link StubCredentialCheck} (key-service
 * is out of reach of service-kit's tests) and cache invalidation through a real Kafka event.
 */
@QuarkusTest
@TestProfile(AuthFilterIT.AuthOn.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "service_kit"))
@QuarkusTestResource(KafkaTestResource.class)
class AuthFilterIT {

    public static class AuthOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // verifications stay cached for as long as a test takes on a slow machine: only the event may drop them
            return Map.of("keyfleet.auth.enabled", "true", "keyfleet.auth.trusted-proxies", "127.0.0.1/32,10.9.0.0/16",
                    "keyfleet.auth.cache-ttl", "1h");
        }
    }

    @Inject
    StubCredentialCheck check;

    @Inject
    VerificationCache cache;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    CredentialEventsListener listener;

    @BeforeEach
    void forgetEverything() {
        check.reset(cache);
    }

    @Test
    void aValidKeyIsLetInAsItsTenant() {
        bearer(StubCredentialCheck.TENANT_KEY).get("/test/whoami").then().statusCode(200)
                .body("tenant", equalTo("acme")).body("credential", equalTo(StubCredentialCheck.TENANT_CREDENTIAL.toString()))
                .body("system", equalTo(false));
        assertThat(check.presented.peek().requiredScope()).isEqualTo("keys:read");
    }

    @Test
    void refusalsAreProblemsWithTheVerificationCode() {
        given().get("/test/whoami").then().statusCode(401).contentType("application/problem+json").body("code", equalTo("MISSING"));
        bearer("kf_test_nobody").get("/test/whoami").then().statusCode(401).body("code", equalTo("NOT_FOUND"));
        bearer(StubCredentialCheck.TENANT_KEY).contentType(ContentType.TEXT).body("x").post("/test/whoami/write")
                .then().statusCode(403).body("code", equalTo("INSUFFICIENT_SCOPE"));
        bearer(StubCredentialCheck.OFFICE_ONLY_KEY).get("/test/whoami").then().statusCode(401).body("code", equalTo("FORBIDDEN_IP"));
    }

    @Test
    void anEndpointWithoutDeclaredScopeIsClosedToEveryone() {
        bearer(StubCredentialCheck.SYSTEM_KEY).contentType(ContentType.JSON).body("{\"name\":\"a\",\"count\":1}").post("/test/echo")
                .then().statusCode(403).body("code", equalTo("ENDPOINT_NOT_OPEN"));
        assertThat(check.calls.get()).isZero();
    }

    @Test
    void onlyASystemAdministratorActsForAnotherTenant() {
        bearer(StubCredentialCheck.SYSTEM_KEY).header("X-Keyfleet-Tenant", "globex").get("/test/whoami").then().statusCode(200)
                .body("tenant", equalTo("globex")).body("system", equalTo(true));
        bearer(StubCredentialCheck.TENANT_KEY).header("X-Keyfleet-Tenant", "globex").get("/test/whoami").then().statusCode(403)
                .body("code", equalTo("TENANT_NOT_ALLOWED"));
        bearer(StubCredentialCheck.TENANT_KEY).header("X-Keyfleet-Tenant", "acme").get("/test/whoami").then().statusCode(200);
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxies() {
        // the test client connects from 127.0.0.1, a trusted proxy: the right-most untrusted hop is the caller
        bearer(StubCredentialCheck.OFFICE_ONLY_KEY).header("X-Forwarded-For", "198.51.100.1, 203.0.113.9, 10.9.1.1")
                .get("/test/whoami").then().statusCode(200).body("sourceIp", equalTo("203.0.113.9"));
        // a client spoofing the left part gains nothing
        bearer(StubCredentialCheck.OFFICE_ONLY_KEY).header("X-Forwarded-For", "203.0.113.9, 198.51.100.1")
                .get("/test/whoami").then().statusCode(401).body("code", equalTo("FORBIDDEN_IP"));
    }

    @Test
    void untrustedPeersForwardedForIsIgnored() {
        SourceAddress noProxies = new SourceAddress(io.keyfleet.auth.IpWhitelist.parse(java.util.List.of()));
        assertThat(noProxies.of("198.51.100.7", "203.0.113.9")).isEqualTo("198.51.100.7");
        SourceAddress proxies = new SourceAddress(io.keyfleet.auth.IpWhitelist.parse("10.0.0.0/8"));
        assertThat(proxies.of("198.51.100.7", "203.0.113.9")).isEqualTo("198.51.100.7");
        assertThat(proxies.of("10.1.1.1", "not-an-address")).isEqualTo("10.1.1.1");
        assertThat(proxies.of("10.1.1.1", "10.2.2.2")).isEqualTo("10.1.1.1");
    }

    @Test
    void aSignedRequestIsPassedOnWithTheHashOfItsBodyItsFormatAndTheTenantItActsFor() {
        Map<String, String> headers = RequestSignature.headers("kfid_x", "secret", "POST", "/test/whoami/write", "a=1", "globex",
                "hello".getBytes(StandardCharsets.UTF_8));
        given().headers(headers).contentType(ContentType.TEXT).body("hello").post("/test/whoami/write?a=1")
                .then().statusCode(401).body("code", equalTo("NOT_FOUND"));
        PresentedCredential presented = check.presented.poll();
        assertThat(presented.signed().secretId()).isEqualTo("kfid_x");
        assertThat(presented.signed().method()).isEqualTo("POST");
        assertThat(presented.signed().path()).isEqualTo("/test/whoami/write");
        assertThat(presented.signed().query()).isEqualTo("a=1");
        assertThat(presented.signed().bodySha256()).isEqualTo(RequestSignature.sha256Hex("hello".getBytes(StandardCharsets.UTF_8)));
        assertThat(presented.signed().signature()).isEqualTo(headers.get(SignedRequestHeaders.SIGNATURE));
        // issue 15: the tenant header is part of what key-service checks the signature against, and the format says so
        assertThat(presented.signed().tenant()).isEqualTo("globex");
        assertThat(presented.signed().version()).isEqualTo("2");

        // a client of the first format sends neither: key-service then knows it is v1
        Map<String, String> v1 = new java.util.HashMap<>(RequestSignature.headers("kfid_x", "secret", "GET", "/test/whoami", null, null,
                null));
        v1.remove(SignedRequestHeaders.SIGNATURE_VERSION);
        given().headers(v1).get("/test/whoami").then().statusCode(401).body("code", equalTo("NOT_FOUND"));
        presented = check.presented.poll();
        assertThat(presented.signed().tenant()).isNull();
        assertThat(presented.signed().version()).isNull();
    }

    @Test
    void aValidKeyIsVerifiedOnceThenServedFromCacheUntilAnEventSaysItChanged() {
        for (int i = 0; i < 5; i++) {
            bearer(StubCredentialCheck.TENANT_KEY).get("/test/whoami").then().statusCode(200);
        }
        assertThat(check.calls.get()).isEqualTo(1);
        // refusals are never cached
        given().get("/test/whoami").then().statusCode(401);
        given().get("/test/whoami").then().statusCode(401);
        assertThat(check.calls.get()).isEqualTo(3);

        EventEnvelope disabled = EventEnvelope.wrap("acme",
                new CredentialUpdated(StubCredentialCheck.TENANT_CREDENTIAL.toString(), false), Instant.now());
        try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrapServers)) {
            // sent again until heard: the listener starts at the end of a topic that may only now be created
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                producer.send(new ProducerRecord<>(disabled.topic(), disabled.aggregateId(), EventCodec.encode(disabled))).get();
                return cache.size() == 0;
            });
        }
        bearer(StubCredentialCheck.TENANT_KEY).get("/test/whoami").then().statusCode(200);
        assertThat(check.calls.get()).isEqualTo(4);
    }

    /**
     * Issue 14: the broker has no authentication, so anyone can publish credential events. They only ever drop cached
     * verifications: the next request is verified at key-service again, which alone says valid or not.
     */
    @Test
    void forgedCredentialEventsNeitherRevokeNorReviveACredential() throws Exception {
        bearer(StubCredentialCheck.TENANT_KEY).get("/test/whoami").then().statusCode(200);
        assertThat(check.calls.get()).isEqualTo(1);
        EventEnvelope forgedRevocation = EventEnvelope.wrap("acme",
                new CredentialRevoked(StubCredentialCheck.TENANT_CREDENTIAL.toString(), "forged"), Instant.now());
        try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrapServers)) {
            // sent again until heard: the listener starts at the end of a topic that may only now be created
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                producer.send(record(forgedRevocation, forgedRevocation.aggregateId())).get();
                return cache.size() == 0;
            });
        }
        // the forged revocation only made key-service be asked again, and key-service says valid
        bearer(StubCredentialCheck.TENANT_KEY).get("/test/whoami").then().statusCode(200);
        assertThat(check.calls.get()).isEqualTo(2);

        bearer(StubCredentialCheck.REVOKED_KEY).get("/test/whoami").then().statusCode(401).body("code", equalTo("REVOKED"));
        String revoked = StubCredentialCheck.REVOKED_CREDENTIAL.toString();
        try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrapServers)) {
            producer.send(record(EventEnvelope.wrap("acme", new CredentialRotated(revoked, 2, Instant.now().plusSeconds(3600)), Instant.now()), revoked)).get();
            producer.send(record(EventEnvelope.wrap("acme", new CredentialUpdated(revoked, true), Instant.now()), revoked)).get();
            // then, on the same partition, an event whose effect shows: once it is heard, the forged ones were too
            producer.send(record(forgedRevocation, revoked)).get();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> cache.size() == 0);
        bearer(StubCredentialCheck.REVOKED_KEY).get("/test/whoami").then().statusCode(401).body("code", equalTo("REVOKED"));
        bearer(StubCredentialCheck.REVOKED_KEY).get("/test/whoami").then().statusCode(401).body("code", equalTo("REVOKED"));
        assertThat(check.calls.get()).as("every request of the revoked credential is verified at key-service").isEqualTo(5);
    }

    /**
     * Issue 15: key-service answered VALID, the credential was revoked and the event heard while that answer was on its
     * way back; when it arrives it must not go into the cache, where it would let the revoked key in for a cache lifetime.
     */
    @Test
    void aRevocationHeardWhileAVerificationIsUnderWayIsNotUndoneByItsAnswer() throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        check.holdAnswers(answered, release);
        CompletableFuture<Integer> underWay = CompletableFuture.supplyAsync(
                () -> bearer(StubCredentialCheck.RACING_KEY).get("/test/whoami").statusCode());
        assertThat(answered.await(60, TimeUnit.SECONDS)).as("key-service has answered VALID").isTrue();

        check.revokedByTest.add(StubCredentialCheck.RACING_CREDENTIAL);
        listener.onEvent(EventCodec.encode(EventEnvelope.wrap("acme",
                new CredentialRevoked(StubCredentialCheck.RACING_CREDENTIAL.toString(), "leaked"), Instant.now())));
        release.countDown();

        assertThat(underWay.get(60, TimeUnit.SECONDS)).as("it was verified before the revocation").isEqualTo(200);
        assertThat(cache.get(new PresentedCredential(StubCredentialCheck.RACING_KEY, null, "127.0.0.1", "keys:read")))
                .as("no valid entry for the revoked key").isNull();
        assertThat(cache.size()).isZero();
        bearer(StubCredentialCheck.RACING_KEY).get("/test/whoami").then().statusCode(401).body("code", equalTo("REVOKED"));
        assertThat(check.calls.get()).isEqualTo(2);
    }

    /**
     * key-service evicts inside the transaction that revokes; a verification reading the database before that commits
     * still sees the credential valid, so its answer is dropped again when the transaction ends.
     */
    @Test
    void anEvictionInsideATransactionIsRepeatedWhenItEnds() {
        PresentedCredential presented = new PresentedCredential(StubCredentialCheck.RACING_KEY, null, "127.0.0.1", "keys:read");
        Verification valid = new Verification(true, VerificationCode.VALID, "valid", StubCredentialCheck.RACING_CREDENTIAL,
                "acme", List.of("keys:read"), null);
        QuarkusTransaction.requiringNew().run(() -> {
            cache.evict(StubCredentialCheck.RACING_CREDENTIAL);
            long generation = cache.generation();
            cache.put(presented, valid, generation);
            assertThat(cache.get(presented)).as("nothing newer is known before the commit").isNotNull();
        });
        assertThat(cache.get(presented)).as("dropped when the change commits").isNull();

        long before = cache.generation();
        cache.evict(StubCredentialCheck.RACING_CREDENTIAL);
        cache.put(presented, valid, before);
        assertThat(cache.get(presented)).as("an answer older than an eviction").isNull();
        cache.put(presented, valid, cache.generation());
        assertThat(cache.get(presented)).as("an answer from after it").isNotNull();
    }

    private static ProducerRecord<String, String> record(EventEnvelope envelope, String key) {
        return new ProducerRecord<>(envelope.topic(), key, EventCodec.encode(envelope));
    }

    private static io.restassured.specification.RequestSpecification bearer(String key) {
        return given().header("Authorization", "Bearer " + key);
    }
}
