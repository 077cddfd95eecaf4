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
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Closes the Kafka consumers first thing on shutdown, while the database and Hibernate are still open, and waits for a
 * batch under way to commit.
 *
 * <p>SmallRye closes the consumers only when the CDI container shuts down, and Quarkus closes Hibernate's
 * EntityManagerFactory in a shutdown task that runs before that: a batch being applied as the service stopped failed
 * with "EntityManagerFactory is closed" and its channel ended in fail-stop. Here the consumers close at once
 * ({@code graceful-shutdown=false} and {@code close-timeout} in service-kit's defaults: a graceful close waited up to
 * 5 s for records it had fetched but not handed out), then a batch already being applied gets {@link #IN_FLIGHT_WAIT}
 * to commit. Records fetched but not applied, or applied but not yet committed, are delivered again at the next start
 * and skipped by the inbox. SmallRye's own terminate later finds the consumers closed.
 */
@ApplicationScoped
public class ConsumerShutdown {

    private static final Logger LOG = Logger.getLogger(ConsumerShutdown.class);
    static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(2);

    @Inject
    @Any
    Instance<KafkaConnector> connectors;

    @Inject
    EventInbox inbox;

    void stopConsumers(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        long begin = System.nanoTime();
        for (KafkaConnector connector : connectors) {
            connector.terminate(event);
        }
        try {
            if (!inbox.awaitIdle(IN_FLIGHT_WAIT)) {
                LOG.infof("An event batch is still being applied %d ms after the consumers closed; it will be delivered again",
                        IN_FLIGHT_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.infof("Kafka consumers closed in %d ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }
}
