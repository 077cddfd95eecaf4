package io.keyfleet.keys.keypair;

import io.keyfleet.keys.api.KeyState;

import io.keyfleet.events.KeyExpiring;
import io.keyfleet.kit.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Time-driven key changes: retiring PREVIOUS versions whose grace has ended, warning before a rotation is due,
 * and rotating keys whose policy says so. Each key is handled in its own transaction with {@code SKIP LOCKED},
 * so several replicas share the work and a key being changed by a caller is simply left for the next run.
 */
@ApplicationScoped
public class KeyLifecycleJobs {

    private static final Logger LOG = Logger.getLogger(KeyLifecycleJobs.class);
    private static final int BATCH = 100;

    @Inject
    EntityManager entityManager;

    @Inject
    AppKeys appKeys;

    @Inject
    Outbox outbox;

    @Scheduled(every = "${keyfleet.keys.lifecycle-interval}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        retireEndedGracePeriods();
        warnBeforeRotationIsDue();
        rotateDueKeys();
    }

    void retireEndedGracePeriods() {
        for (Object[] row : candidates("""
                select v.key_id, v.version from app_key_version v
                where v.state = 'PREVIOUS' and v.valid_until <= now()
                order by v.valid_until limit %d""")) {
            UUID keyId = (UUID) row[0];
            int version = ((Number) row[1]).intValue();
            inOwnTransaction(keyId, key -> {
                AppKeyVersion v = AppKeyVersion.find(keyId, version);
                if (v != null && v.state == KeyState.PREVIOUS && !v.validUntil.isAfter(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS))) {
                    appKeys.retire(key, v, "grace period ended");
                }
            });
        }
    }

    void warnBeforeRotationIsDue() {
        for (Object[] row : candidates("""
                select k.id, k.current_version from app_key k join app_key_version v on v.key_id = k.id and v.version = k.current_version
                where k.revoked_at is null and k.rotate_after_days is not null and k.warn_days_before is not null
                  and v.expiry_warned_at is null
                  and v.promoted_at + make_interval(days => k.rotate_after_days - k.warn_days_before) <= now()
                limit %d""")) {
            UUID keyId = (UUID) row[0];
            inOwnTransaction(keyId, key -> {
                AppKeyVersion current = AppKeyVersion.find(keyId, key.currentVersion);
                if (current.expiryWarnedAt == null) {
                    Instant due = current.promotedAt.plus(Duration.ofDays(key.rotateAfterDays));
                    current.expiryWarnedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
                    outbox.record(key.tenantId, new KeyExpiring(keyId.toString(), current.version, due));
                }
            });
        }
    }

    void rotateDueKeys() {
        for (Object[] row : candidates("""
                select k.id, k.current_version from app_key k join app_key_version v on v.key_id = k.id and v.version = k.current_version
                where k.revoked_at is null and k.origin = 'GENERATED' and k.rotate_after_days is not null
                  and v.promoted_at + make_interval(days => k.rotate_after_days) <= now()
                  and not exists (select 1 from app_key_version p where p.key_id = k.id and p.state = 'PENDING')
                limit %d""")) {
            UUID keyId = (UUID) row[0];
            String tenantId = QuarkusTransaction.requiringNew().call(() -> AppKey.<AppKey>findById(keyId).tenantId);
            try {
                appKeys.rotate(tenantId, keyId, Optional.empty());
                LOG.infof("Rotated key %s by its policy", keyId);
            } catch (RuntimeException e) {
                LOG.warnf("Automatic rotation of key %s did not happen this time: %s", keyId, e.getMessage());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> candidates(String sql) {
        return QuarkusTransaction.requiringNew().call(() ->
                entityManager.createNativeQuery(sql.formatted(BATCH)).getResultList());
    }

    /** Locks the key row (skipping it if someone else holds it) and applies the change in a transaction of its own. */
    private void inOwnTransaction(UUID keyId, java.util.function.Consumer<AppKey> change) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                List<?> locked = entityManager.createNativeQuery("select id from app_key where id = ?1 for update skip locked")
                        .setParameter(1, keyId).getResultList();
                if (!locked.isEmpty()) {
                    change.accept(AppKey.findById(keyId));
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("Lifecycle step for key %s failed, retried next run: %s", keyId, e.getMessage());
        }
    }
}
