package io.keyfleet.signing.keycache;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.MalformedEventException;
import io.keyfleet.signing.keycache.KeyEventCheck.Checked;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Key events for this replica's in-memory {@link KeyCache}. Unlike {@link KeyEventsConsumer} (one consumer group for
 * the service, writing the shared tables once), every replica reads every event here: its own consumer group
 * ({@code signing-service-cache-<instance uuid>}), from the latest offset, since a fresh replica loads its keys from the
 * tables on first use. Each event is checked with key-service ({@link KeyEventCheck}) and the cache takes key-service's
 * answer, never the event's payload; an event key-service does not confirm changes nothing here (the tables' consumer
 * counts and logs the refusal, or marks the key stale when key-service cannot be asked). Applying an event twice is
 * harmless.
 */
@ApplicationScoped
public class KeyCacheEvents {

    private static final Logger LOG = Logger.getLogger(KeyCacheEvents.class);

    @Inject
    KeyCache cache;

    @Inject
    KeyEventCheck check;

    @Incoming("key-cache-events")
    @Blocking(ordered = true)
    public void onKeyEvent(String json) {
        EventEnvelope envelope;
        try {
            envelope = EventCodec.decode(json);
        } catch (MalformedEventException e) {
            LOG.debugf("Ignoring an unreadable key event: %s", e.getMessage());
            return;
        }
        if (!KeyEventCheck.KEY_EVENTS.contains(envelope.type())) {
            return;
        }
        Checked checked = check.check(envelope);
        if (checked.verdict() == KeyEventCheck.Verdict.CONFIRMED) {
            cache.apply(checked.key());
        } else {
            LOG.debugf("Not applying %s %s to the cache: %s", envelope.type(), envelope.eventId(), checked.reason());
        }
    }
}
