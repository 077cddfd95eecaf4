package io.keyfleet.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * A real Kafka broker secured as in production, for {@code @QuarkusTest}s: SASL_SSL with SCRAM-SHA-512, one user per
 * service and ACLs that let each use only its own topics (see {@code io.keyfleet.events.Topics}), and an admin super
 * user ({@code io.keyfleet.localstack.KafkaBroker#ADMIN_USER}). One per test JVM, next to the open broker of
 * {@link KafkaTestResource}, started by the first test that needs it and stopped when the JVM exits.
 *
 * <p>The service connects as the user named by the init arg {@code user} (its own name, e.g. {@code key-service}): the
 * resource supplies {@code kafka.bootstrap.servers}, {@code kafka.security.protocol}, {@code kafka.sasl.mechanism},
 * {@code kafka.sasl.jaas.config} and {@code kafka.ssl.truststore.*}, and turns Kafka Dev Services off. A module whose
 * tests use {@link KafkaTestResource} for all classes gives this one from a test profile that leaves the global
 * resources out:
 * <pre>{@code
 * public static class Secured implements QuarkusTestProfile {
 *     public List<TestResourceEntry> testResources() {
 *         return List.of(new TestResourceEntry(SecuredKafkaTestResource.class, Map.of("user", "key-service")), ...);
 *     }
 *     public boolean disableGlobalTestResources() { return true; }
 * }
 * }</pre>
 * Tests act as another user with {@link #clientConfig} and {@link KafkaClients}.
 */
public class SecuredKafkaTestResource implements QuarkusTestResourceLifecycleManager {

    /** Name of the required init arg: the Kafka user the service connects as. */
    public static final String USER = "user";

    private String user;

    @Override
    public void init(Map<String, String> initArgs) {
        user = initArgs.get(USER);
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("SecuredKafkaTestResource needs the init arg '" + USER
                    + "', the service's Kafka user, e.g. Map.of(\"user\", \"key-service\")");
        }
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        clientConfig(user).forEach((name, value) -> config.put("kafka." + name, value));
        config.put("quarkus.kafka.devservices.enabled", "false");
        return config;
    }

    /** Nothing to do: the one secured broker of this JVM is shared by all test classes and stops when the JVM exits. */
    @Override
    public void stop() {
    }

    /**
     * A Kafka client's settings for the user of the secured broker (starting it if needed): {@code bootstrap.servers},
     * SASL_SSL with the user's password, and the truststore.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, String> clientConfig(String user) {
        return (Map<String, String>) JvmWideServers.call("securedKafkaClientConfig", user);
    }
}
