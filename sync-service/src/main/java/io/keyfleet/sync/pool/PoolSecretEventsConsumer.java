package io.keyfleet.sync.pool;

import io.keyfleet.events.EventEnvelope;
import io.keyfleet.kit.inbox.EventInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * A KeyRotated or CredentialRevoked event whose aggregate is a pool (its secret in key-service is addressed by the
 * pool id) triggers a fresh connectivity check of that pool, once per event (EventInbox). The checks run after the
 * inbox transaction, since they call upstream.
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
        List<UUID> toCheck = new ArrayList<>();
        inbox.applyAll(CONSUMER, batch, envelope -> poolOf(envelope).ifPresent(toCheck::add));
        for (UUID poolId : toCheck) {
            pools.findAnyTenant(poolId).ifPresent(pool -> {
                ConnectivityCheck.Report report = service.check(pool);
                LOG.infof("Pool %s re-checked after a secret event: %s", poolId, report.health());
            });
        }
    }

    static java.util.Optional<UUID> poolOf(EventEnvelope envelope) {
        if (!envelope.type().equals("KeyRotated") && !envelope.type().equals("CredentialRevoked")) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(UUID.fromString(envelope.aggregateId()));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty(); // an ordinary key or credential, not a pool's secret
        }
    }
}
