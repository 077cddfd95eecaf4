package io.keyfleet.kit.auth;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.MalformedEventException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Drops cached verifications of a credential the moment key-service says it was revoked, rotated, enabled or
 * disabled. Every instance reads every event (its own consumer group, see the kit's defaults). An event can only drop
 * entries, never make a credential valid or invalid: the broker has no authentication, so the next request with that
 * credential is verified at key-service again, whose answer alone counts (only valid answers are ever cached).
 */
@ApplicationScoped
public class CredentialEventsListener {

    private static final Logger LOG = Logger.getLogger(CredentialEventsListener.class);
    private static final Set<String> CHANGES = Set.of("CredentialRevoked", "CredentialRotated", "CredentialUpdated");

    @Inject
    VerificationCache cache;

    @Incoming("credential-events")
    public void onEvent(String json) {
        EventEnvelope envelope;
        try {
            envelope = EventCodec.decode(json);
        } catch (MalformedEventException e) {
            LOG.warnf("Skipping an unreadable credential event: %s", e.getMessage());
            return;
        }
        if (CHANGES.contains(envelope.type())) {
            try {
                cache.evict(UUID.fromString(envelope.aggregateId()));
            } catch (IllegalArgumentException e) {
                LOG.warnf("Skipping %s for credential id '%s': not a UUID", envelope.type(), envelope.aggregateId());
            }
        }
    }
}
