package io.keyfleet.sync.pool;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.MalformedEventException;
import io.keyfleet.events.PoolSecretDestroyed;
import io.keyfleet.events.PoolSecretRotated;
import io.keyfleet.kit.inbox.EventInbox;
import io.keyfleet.kit.outbound.OutboundRefusedException;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import io.keyfleet.sync.secret.PoolSecrets;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * key-service announces every change of a pool's API secret (PoolSecretRotated, PoolSecretDestroyed). A rotation
 * made in key-service moves the pool to the new version; a change that touches the version the pool uses triggers a
 * fresh connectivity check, so the pool's health says at once whether the new secret works or that the secret is
 * gone. Each event is handled once (EventInbox); what calls key-service or upstream runs after the inbox transaction.
 * Changes sync-service made itself (a pool saved with a new secret) are already checked and are skipped.
 * <p>
 * An event is a hint, never the truth: the broker has no authentication. Events carry no secret; a pool moves to a
 * rotated version only once key-service confirms it holds that version, and a destroyed version only makes the pool
 * be checked again (with what key-service holds).
 */
@ApplicationScoped
public class PoolSecretEventsConsumer {

    static final String CONSUMER = "sync-pool-secrets";
    private static final Logger LOG = Logger.getLogger(PoolSecretEventsConsumer.class);

    /** A pool an event named: rotated to {@code newVersion}, or (null) its version destroyed. */
    private record Named(String tenantId, UUID poolId, Integer newVersion) {
    }

    @Inject
    EventInbox inbox;


    @Inject
    Pools pools;

    @Inject
    PoolSecrets secrets;

    @Incoming("pool-secret-events")
    @Blocking(ordered = true)
    public void onEvents(List<String> batch) {
        List<Named> named = new ArrayList<>();
        inbox.applyAll(CONSUMER, batch, envelope -> poolNamed(envelope).ifPresent(named::add));
        Set<UUID> toCheck = new LinkedHashSet<>();
        for (Named pool : named) {
            if (pool.newVersion() == null || adoptConfirmed(pool)) {
                toCheck.add(pool.poolId());
            }
        }
        for (UUID poolId : toCheck) {
            pools.findAnyTenant(poolId).ifPresent(pool -> {
                try {
                    ConnectivityCheck.Report report = pools.check(pool);
                    LOG.infof("Pool %s re-checked after a change of its secret in key-service: %s", poolId, report.health());
                } catch (OutboundRefusedException e) {
                    // recorded as the pool's health; thrown on, it would stop this consumer
                    LOG.infof("Pool %s not re-checked: %s", poolId, e.getMessage());
                }
            });
        }
    }

    /** Runs inside the inbox transaction: which pool an event names, if it needs anything. */
    private Optional<Named> poolNamed(EventEnvelope envelope) {
        try {
            return named(envelope);
        } catch (MalformedEventException e) {
            // thrown on, it would fail the inbox's batch and stop this consumer: anyone can publish such an event
            LOG.warnf("Skipping %s %s: %s", envelope.type(), envelope.eventId(), e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<Named> named(EventEnvelope envelope) {
        return switch (envelope.type()) {
            case "PoolSecretRotated" -> {
                PoolSecretRotated rotated = EventCodec.payload(envelope, PoolSecretRotated.class);
                yield poolId(rotated.poolId()).filter(id -> tenantsPool(envelope.tenantId(), id)
                                .map(pool -> pool.secretVersion < rotated.newVersion()).orElse(false))
                        .map(id -> new Named(envelope.tenantId(), id, rotated.newVersion()));
            }
            case "PoolSecretDestroyed" -> {
                PoolSecretDestroyed destroyed = EventCodec.payload(envelope, PoolSecretDestroyed.class);
                yield poolId(destroyed.poolId()).filter(id -> tenantsPool(envelope.tenantId(), id)
                        .map(pool -> pool.secretVersion == destroyed.version()).orElse(false))
                        .map(id -> new Named(envelope.tenantId(), id, null));
            }
            default -> Optional.empty();
        };
    }

    private Optional<Pool> tenantsPool(String tenantId, UUID id) {
        return pools.findAnyTenant(id).filter(pool -> pool.tenantId.equals(tenantId));
    }

    /** Moves the pool to the rotated version only when key-service holds that version. */
    private boolean adoptConfirmed(Named pool) {
        try {
            if (secrets.get(pool.tenantId(), pool.poolId().toString(), pool.newVersion()).isEmpty()) {
                LOG.warnf("Refused PoolSecretRotated for pool %s: key-service has no secret version %d", pool.poolId(), pool.newVersion());
                return false;
            }
        } catch (PoolSecrets.PoolSecretException e) {
            LOG.warnf("Pool %s stays on its secret version: key-service could not confirm version %d (%s)", pool.poolId(),
                    pool.newVersion(), e.getMessage());
            return false;
        }
        return pools.adoptSecretVersion(pool.tenantId(), pool.poolId(), pool.newVersion());
    }

    private static Optional<UUID> poolId(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a secret kept under a name sync-service never gives its pools
        }
    }
}
