package io.keyfleet.signing.keycache;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.KeyCreated;
import io.keyfleet.events.KeyRevoked;
import io.keyfleet.events.KeyRotated;
import io.keyfleet.events.MalformedEventException;
import io.keyfleet.events.ProviderKeyUpdated;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Key events for this replica's in-memory {@link KeyCache}. Unlike {@link KeyEventsConsumer} (one consumer group for
 * the service, writing the shared tables once), every replica reads every event here: its own consumer group
 * ({@code signing-service-cache-<instance uuid>}), from the latest offset, since a fresh replica loads its keys from the
 * tables on first use. Applying an event twice is harmless.
 */
@ApplicationScoped
public class KeyCacheEvents {

    private static final Logger LOG = Logger.getLogger(KeyCacheEvents.class);

    @Inject
    KeyCache cache;

    @Incoming("key-cache-events")
    public void onKeyEvent(String json) {
        EventEnvelope envelope;
        try {
            envelope = EventCodec.decode(json);
        } catch (MalformedEventException e) {
            LOG.debugf("Ignoring an unreadable key event: %s", e.getMessage());
            return;
        }
        switch (envelope.type()) {
            case "KeyCreated" -> cache.created(envelope.tenantId(), EventCodec.payload(envelope, KeyCreated.class));
            case "KeyRotated" -> cache.rotated(EventCodec.payload(envelope, KeyRotated.class));
            case "KeyRevoked" -> cache.revoked(EventCodec.payload(envelope, KeyRevoked.class));
            case "ProviderKeyUpdated" -> cache.providerKeyUpdated(envelope.tenantId(), EventCodec.payload(envelope, ProviderKeyUpdated.class));
            default -> {
            }
        }
    }
}
