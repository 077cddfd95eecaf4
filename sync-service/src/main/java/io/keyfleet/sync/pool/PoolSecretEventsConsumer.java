package io.keyfleet.sync.pool;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.PoolSecretDestroyed;
import io.keyfleet.events.PoolSecretRotated;
import io.keyfleet.kit.inbox.EventInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
 * gone. Each event is applied once (EventInbox); the checks run after the inbox transaction, since they call upstream.
 * Changes sync-service made itself (a pool saved with a new secret) are already checked and are skipped.
 */
@ApplicationScoped
public class PoolSecretEventsConsumer {

    static final String CONSUMER = "sync-pool-secrets";
    private static final Logger LOG = Logger.getLogger(PoolSecretEventsConsumer.class);

    @Inject
    EventInbox inbox;

    @Inject
    Pools pools;

    @Inject
    PoolService service;

    @Incoming("pool-secret-events")
    @Blocking(ordered = true)
    public void onEvents(List<String> batch) {
        Set<UUID> toCheck = new LinkedHashSet<>();
        inbox.applyAll(CONSUMER, batch, envelope -> poolToCheck(envelope).ifPresent(toCheck::add));
        for (UUID poolId : toCheck) {
            pools.findAnyTenant(poolId).ifPresent(pool -> {
                ConnectivityCheck.Report report = service.check(pool);
                LOG.infof("Pool %s re-checked after a change of its secret in key-service: %s", poolId, report.health());
            });
        }
    }

    /** Runs inside the inbox transaction: adopts a rotated version and says which pool needs a check. */
    private Optional<UUID> poolToCheck(EventEnvelope envelope) {
        return switch (envelope.type()) {
            case "PoolSecretRotated" -> {
                PoolSecretRotated rotated = EventCodec.payload(envelope, PoolSecretRotated.class);
                yield poolId(rotated.poolId()).filter(id -> pools.adoptSecretVersion(envelope.tenantId(), id, rotated.newVersion()));
            }
            case "PoolSecretDestroyed" -> {
                PoolSecretDestroyed destroyed = EventCodec.payload(envelope, PoolSecretDestroyed.class);
                yield poolId(destroyed.poolId()).filter(id -> pools.find(envelope.tenantId(), id)
                        .map(pool -> pool.secretVersion() == destroyed.version()).orElse(false));
            }
            default -> Optional.empty();
        };
    }

    private static Optional<UUID> poolId(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a secret kept under a name sync-service never gives its pools
        }
    }
}
