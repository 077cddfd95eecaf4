package io.keyfleet.bench.outbox;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.KeyRotated;
import io.keyfleet.kit.inbox.EventInbox;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.UUID;
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
    public void on(String json) {
        long received = System.nanoTime();
        UUID[] applied = new UUID[1];
        boolean ran = inbox.apply(CONSUMER, json, envelope -> {
            KeyRotated event = EventCodec.payload(envelope, KeyRotated.class);
            entityManager.createNativeQuery("insert into bench_effect (event_id, key_id, version) values (?1, ?2, ?3)")
                    .setParameter(1, envelope.eventId())
                    .setParameter(2, event.keyId())
                    .setParameter(3, event.newVersion())
                    .executeUpdate();
            applied[0] = envelope.eventId();
        });
        long committed = System.nanoTime(); // apply returns after the effect's transaction committed
        if (ran) {
            timings.applied(applied[0], received, committed);
        } else {
            timings.duplicateSkipped();
        }
    }
}
