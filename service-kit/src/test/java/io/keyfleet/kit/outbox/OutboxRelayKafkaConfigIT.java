package io.keyfleet.kit.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The relay's producer takes the {@code kafka.*} settings that every Kafka client of the service gets (here SASL_SSL and
 * a truststore), with its own delivery settings on top. Nothing connects to Kafka: no relay, no consumers.
 */
@QuarkusTest
@TestProfile(OutboxRelayKafkaConfigIT.SecuredKafkaSettings.class)
class OutboxRelayKafkaConfigIT {

    public static class SecuredKafkaSettings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("kafka.security.protocol", "SASL_SSL"),
                    Map.entry("kafka.sasl.mechanism", "SCRAM-SHA-512"),
                    Map.entry("kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";"),
                    Map.entry("kafka.ssl.truststore.location", "/nowhere/truststore.p12"),
                    Map.entry("kafka.ssl.truststore.password", "trust"),
                    Map.entry("kafka.ssl.truststore.type", "PKCS12"),
                    // a setting of the relay's own is not taken from kafka.*
                    Map.entry("kafka.acks", "0"),
                    Map.entry("keyfleet.outbox.relay-enabled", "false"),
                    Map.entry("quarkus.kafka.health.enabled", "false"),
                    Map.entry("mp.messaging.incoming.test-events.enabled", "false"),
                    Map.entry("mp.messaging.incoming.credential-events.enabled", "false"));
        }
    }

    @Inject
    OutboxRelay relay;

    @Test
    void theProducerGetsTheServicesKafkaSecuritySettingsAndItsOwnDeliverySettings() {
        Map<String, Object> config = relay.producerConfig();

        assertThat(config).containsKey("bootstrap.servers")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";")
                .containsEntry("ssl.truststore.location", "/nowhere/truststore.p12")
                .containsEntry("ssl.truststore.password", "trust")
                .containsEntry("ssl.truststore.type", "PKCS12")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true)
                .containsEntry("client.id", "service-kit-test-outbox-relay")
                .doesNotContainKey("group.id");
    }
}
