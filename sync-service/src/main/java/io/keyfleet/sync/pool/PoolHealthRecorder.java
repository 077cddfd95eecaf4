package io.keyfleet.sync.pool;

import io.keyfleet.events.PoolHealthChanged;
import io.keyfleet.kit.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;

/** Records a pool's credential health; a change is announced with PoolHealthChanged through the outbox. */
@ApplicationScoped
public class PoolHealthRecorder {

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    /** Its own transaction: called after a connectivity check, outside any. */
    @Transactional
    public void record(Pool pool, PoolHealth health, String message) {
        Pool row = em.find(Pool.class, pool.id, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            return;
        }
        PoolHealth previous = row.health;
        row.health = health;
        row.healthMessage = message == null ? null : message.length() > 500 ? message.substring(0, 500) : message;
        row.checkedAt = Instant.now();
        if (previous != null && previous != health) {
            outbox.record(pool.tenantId, new PoolHealthChanged(pool.id.toString(), previous.name(), health.name(), message));
        }
    }

    /** Within the caller's transaction, after the pool row was written with its new health. */
    @Transactional(Transactional.TxType.MANDATORY)
    void changed(Pool pool, PoolHealth previous) {
        if (previous != pool.health) {
            outbox.record(pool.tenantId, new PoolHealthChanged(pool.id.toString(), previous.name(), pool.health.name(),
                    pool.healthMessage));
        }
    }
}
