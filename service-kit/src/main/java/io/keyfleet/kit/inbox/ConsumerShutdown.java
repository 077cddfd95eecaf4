package io.keyfleet.kit.inbox;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.KafkaConnector;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

/**
 * Closes the Kafka consumers first thing on shutdown, while the database and Hibernate are still open.
 *
 * <p>SmallRye closes them only when the CDI container shuts down, and Quarkus closes Hibernate's EntityManagerFactory
 * in a shutdown task that runs before that: a batch being applied as the service stopped failed with "EntityManagerFactory
 * is closed" and its channel ended in fail-stop. Closed here, a graceful channel stops fetching, lets the records it
 * handed out be applied and commits them (2 x poll-timeout, then the throttled commit's wait for those records), and the
 * consumer's close is bounded by close-timeout (service-kit's defaults). SmallRye's own terminate later finds them closed.
 */
@ApplicationScoped
public class ConsumerShutdown {

    @Inject
    @Any
    Instance<KafkaConnector> connectors;

    void stopConsumers(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        for (KafkaConnector connector : connectors) {
            connector.terminate(event);
        }
    }
}
