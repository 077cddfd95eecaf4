package io.keyfleet.signing.signature;

import io.keyfleet.signing.support.SigningConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;

/** Notification ids already accepted ({@link SeenNotification}), kept for {@code keyfleet.signing.notifications.dedupe-for}. */
@ApplicationScoped
public class NotificationReplays {

    @Inject
    SigningConfig config;

    /**
     * True the first time this id is seen (and remembers it); false for a replay. The mark is a transaction of its own:
     * it stands whatever becomes of the verification that asked.
     */
    public boolean firstTime(String tenantId, String scheme, String notificationId) {
        return QuarkusTransaction.requiringNew().call(() -> SeenNotification.remember(tenantId, scheme, notificationId));
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void forgetOld() {
        SeenNotification.forgetBefore(Instant.now().minus(config.notifications().dedupeFor()));
    }
}
