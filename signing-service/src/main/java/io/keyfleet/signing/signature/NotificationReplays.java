package io.keyfleet.signing.signature;

import io.keyfleet.signing.support.SigningConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;

/** Notification ids already accepted, in {@code seen_notification}, kept for {@code keyfleet.signing.notifications.dedupe-for}. */
@ApplicationScoped
public class NotificationReplays {

    @Inject
    EntityManager em;

    @Inject
    SigningConfig config;

    /** True the first time this id is seen (and remembers it); false for a replay. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean firstTime(String tenantId, String scheme, String notificationId) {
        return em.createNativeQuery("insert into seen_notification (tenant_id, scheme, notification_id, seen_at) values (?1, ?2, ?3, now())"
                        + " on conflict do nothing")
                .setParameter(1, tenantId).setParameter(2, scheme).setParameter(3, notificationId).executeUpdate() == 1;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void forgetOld() {
        em.createNativeQuery("delete from seen_notification where seen_at < ?1")
                .setParameter(1, Instant.now().minus(config.notifications().dedupeFor())).executeUpdate();
    }
}
