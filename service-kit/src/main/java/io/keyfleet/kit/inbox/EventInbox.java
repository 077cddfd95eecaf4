package io.keyfleet.kit.inbox;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.MalformedEventException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Applies an incoming event exactly once: the processed-event mark and the consumer's effect are written in
 * one transaction, so a redelivered event is skipped and a failed effect is retried on redelivery.
 */
@ApplicationScoped
public class EventInbox {

    private static final Logger LOG = Logger.getLogger(EventInbox.class);

    @Inject
    ProcessedEvents processedEvents;

    @Inject
    MeterRegistry registry;

    /**
     * @param consumer a stable name of the consuming feature, e.g. {@code signing-key-cache}
     * @param json the record value as received
     * @param effect applied inside the transaction, only the first time this event id is seen
     * @return true if the effect ran, false for a duplicate or an unreadable event (which is logged and skipped)
     */
    public boolean apply(String consumer, String json, Consumer<EventEnvelope> effect) {
        EventEnvelope envelope;
        try {
            envelope = EventCodec.decode(json);
        } catch (MalformedEventException e) {
            registry.counter("keyfleet.inbox.malformed", "consumer", consumer).increment();
            LOG.warnf("Skipping an unreadable event for %s: %s", consumer, e.getMessage());
            return false;
        }
        boolean applied = QuarkusTransaction.requiringNew().call(() -> {
            if (!processedEvents.markProcessed(consumer, envelope.eventId())) {
                return false;
            }
            effect.accept(envelope);
            return true;
        });
        registry.counter("keyfleet.inbox.events", "consumer", consumer, "outcome", applied ? "applied" : "duplicate").increment();
        return applied;
    }
}
