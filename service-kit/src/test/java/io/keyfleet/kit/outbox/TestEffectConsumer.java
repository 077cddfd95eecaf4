package io.keyfleet.kit.outbox;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.KeyRotated;
import io.keyfleet.kit.inbox.EventInbox;
import io.quarkus.hibernate.orm.panache.Panache;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** A consumer as a service would write one: each KeyRotated becomes one test_effect row, exactly once. */
@ApplicationScoped
public class TestEffectConsumer {

    @Inject
    EventInbox inbox;

    @Incoming("test-events")
    @Blocking
    public void on(List<String> batch) {
        inbox.applyAll("test-effect", batch, envelope -> {
            KeyRotated event = EventCodec.payload(envelope, KeyRotated.class);
            Panache.getEntityManager()
                    .createNativeQuery("insert into test_effect (event_id, aggregate_id, version) values (?1, ?2, ?3)")
                    .setParameter(1, envelope.eventId())
                    .setParameter(2, event.keyId())
                    .setParameter(3, event.previousVersion())
                    .executeUpdate();
        });
    }
}
