package io.keyfleet.bench.outbox;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.KeyRotated;
import io.keyfleet.kit.inbox.EventInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import io.keyfleet.events.EventEnvelope;
import java.util.List;
import java.util.StringJoiner;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * A consumer as a service writes one: each key event becomes one {@code bench_effect} row, exactly once, through the
 * kit's {@link EventInbox}. Records when the event arrived and when its effect transaction had committed.
 */
@ApplicationScoped
public class EffectConsumer {

    static final String CONSUMER = "bench-key-effect";

    @Inject
    EventInbox inbox;

    @Inject
    EntityManager entityManager;

    @Inject
    EventTimings timings;

    @Incoming("bench-keys")
    @Blocking
    public void on(List<String> batch) {
        long received = System.nanoTime();
        List<EventEnvelope> applied = inbox.applyBatch(CONSUMER, batch, fresh -> {
            // the effect rows of the whole batch in one statement, as a service writing many rows would
            StringJoiner ids = new StringJoiner(","), keys = new StringJoiner(","), versions = new StringJoiner(",");
            for (EventEnvelope envelope : fresh) {
                KeyRotated event = EventCodec.payload(envelope, KeyRotated.class);
                ids.add(envelope.eventId().toString());
                keys.add(event.keyId());
                versions.add(Integer.toString(event.newVersion()));
            }
            entityManager.createNativeQuery("insert into bench_effect (event_id, key_id, version) select * from unnest("
                            + "cast(string_to_array(?1, ',') as uuid[]), string_to_array(?2, ','), cast(string_to_array(?3, ',') as int[]))")
                    .setParameter(1, ids.toString())
                    .setParameter(2, keys.toString())
                    .setParameter(3, versions.toString())
                    .executeUpdate();
        });
        long committed = System.nanoTime(); // applyBatch returns after the batch's transaction committed
        for (EventEnvelope envelope : applied) {
            timings.applied(envelope.eventId(), received, committed);
        }
        for (int i = applied.size(); i < batch.size(); i++) {
            timings.duplicateSkipped();
        }
    }
}
