package io.keyfleet.keys.kafka;

import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.Topics;
import io.keyfleet.localstack.KafkaBroker;
import io.keyfleet.testkit.KafkaClients;
import io.keyfleet.testkit.PostgresTestResource;
import io.keyfleet.testkit.SecuredKafkaTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * key-service against a Kafka broker secured as in production (SASL_SSL, SCRAM-SHA-512, ACLs from {@link Topics}): its
 * outbox relay and its consumers connect as the user {@code key-service} with nothing but the {@code kafka.*}
 * settings, and the broker refuses whoever has no credentials, the wrong password, or no right to the topic.
 */
@QuarkusTest
@TestProfile(SecuredKafkaIT.SecuredKafka.class)
class SecuredKafkaIT {

    /** This class only: the secured broker instead of the open one that the other tests share. */
    public static class SecuredKafka implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(
                    new TestResourceEntry(PostgresTestResource.class, Map.of(PostgresTestResource.DATABASE, "key_service")),
                    new TestResourceEntry(SecuredKafkaTestResource.class, Map.of(SecuredKafkaTestResource.USER, "key-service")));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    /** How long a client without credentials gets to reach the broker (which never lets it). */
    private static final Duration REFUSED_CLIENT_WAIT = Duration.ofSeconds(15);

    @ConfigProperty(name = "kafka.security.protocol")
    String securityProtocol;

    @ConfigProperty(name = "quarkus.log.file.path")
    Path logFile;

    @Test
    void theOutboxPublishesOverSaslSslAndAnAuthorisedServiceReadsTheEvent() throws Exception {
        assertThat(securityProtocol).isEqualTo("SASL_SSL");
        String tenant = newTenant();
        String keyId = as(tenant).contentType(ContentType.JSON)
                .body("{\"provider\":\"alipay\",\"appId\":\"secured-kafka\",\"environment\":\"SANDBOX\"}")
                .post("/v1/keys")
                .then().statusCode(201).extract().path("keyId");

        Map<String, String> signingService = new HashMap<>(SecuredKafkaTestResource.clientConfig("signing-service"));
        signingService.put("group.id", "signing-service-secured-it-" + UUID.randomUUID());
        List<EventEnvelope> events = KafkaClients.readUntil(signingService, Topics.KEYS, keyId, EventCodec::decode,
                found -> !found.isEmpty(), DEADLINE);

        assertThat(events).extracting(EventEnvelope::type).containsExactly("KeyCreated");
        String jaasConfig = SecuredKafkaTestResource.clientConfig("key-service").get("sasl.jaas.config");
        String password = jaasConfig.replaceAll("^.*password=\"([^\"]+)\".*$", "$1");
        assertThat(password).isNotEqualTo(jaasConfig);
        assertThat(Files.readString(logFile)).as("key-service's Kafka password in the test log").doesNotContain(password);
    }

    @Test
    void aClientWithoutCredentialsCanNeitherWriteNorRead() {
        String bootstrapServers = SecuredKafkaTestResource.clientConfig(KafkaBroker.ADMIN_USER).get("bootstrap.servers");
        Map<String, String> plaintext = Map.of("bootstrap.servers", bootstrapServers);
        Map<String, String> tlsWithoutSasl = new HashMap<>(SecuredKafkaTestResource.clientConfig("key-service"));
        tlsWithoutSasl.keySet().removeIf(name -> name.startsWith("sasl."));
        tlsWithoutSasl.put("security.protocol", "SSL");

        for (Map<String, String> anonymous : List.of(plaintext, tlsWithoutSasl)) {
            Map<String, String> config = new HashMap<>(anonymous);
            config.put("max.block.ms", String.valueOf(REFUSED_CLIENT_WAIT.toMillis()));
            assertThatThrownBy(() -> send(config, Topics.KEYS))
                    .as("writing with %s", anonymous.getOrDefault("security.protocol", "PLAINTEXT"))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
            try (KafkaConsumer<String, String> consumer = KafkaClients.consumerFromStart(anonymous)) {
                assertThatThrownBy(() -> consumer.partitionsFor(Topics.KEYS, REFUSED_CLIENT_WAIT))
                        .as("reading with %s", anonymous.getOrDefault("security.protocol", "PLAINTEXT"))
                        .isInstanceOf(TimeoutException.class);
            }
        }
    }

    @Test
    void aServiceCanNeitherWriteNorReadATopicThatIsNotItsOwn() {
        Map<String, String> signingService = new HashMap<>(SecuredKafkaTestResource.clientConfig("signing-service"));
        // not idempotent: an idempotent producer of signing-service, which writes no topic, gets no producer id at all
        signingService.put("enable.idempotence", "false");
        assertThatThrownBy(() -> send(signingService, Topics.KEYS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);

        Map<String, String> tokenService = new HashMap<>(SecuredKafkaTestResource.clientConfig("token-service"));
        tokenService.put("group.id", "token-service-secured-it-" + UUID.randomUUID());
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumerFromStart(tokenService)) {
            consumer.subscribe(List.of(Topics.KEYS));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            assertThatThrownBy(() -> {
                while (System.nanoTime() - deadline < 0) {
                    consumer.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        Map<String, String> config = new HashMap<>(SecuredKafkaTestResource.clientConfig("key-service"));
        config.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"key-service\" password=\"not-key-service-password\";");
        assertThatThrownBy(() -> send(config, Topics.KEYS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
    }

    private static void send(Map<String, String> config, String topic) throws Exception {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(config)) {
            producer.send(new ProducerRecord<>(topic, "secured-kafka-it", "must not be written"))
                    .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
