package io.keyfleet.kit.outbox;

import io.keyfleet.events.DomainEvent;
import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.kit.logging.RequestIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;

/**
 * Records domain events in the service's outbox table, inside the caller's transaction.
 * The event is published by {@link OutboxRelay} only if that transaction commits.
 */
@ApplicationScoped
public class Outbox {

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    OutboxRelay relay;

    Clock clock = Clock.systemUTC();

    /** Must be called inside the business transaction that makes the change the event describes. */
    @Transactional(Transactional.TxType.MANDATORY)
    public EventEnvelope record(String tenantId, DomainEvent event) {
        EventEnvelope envelope = EventEnvelope.wrap(tenantId, event, Instant.now(clock));
        OutboxEvent row = new OutboxEvent();
        row.eventId = envelope.eventId();
        row.eventType = envelope.type();
        row.schemaVersion = envelope.schemaVersion();
        row.tenantId = envelope.tenantId();
        row.aggregateId = envelope.aggregateId();
        row.topic = envelope.topic();
        row.envelope = EventCodec.encode(envelope);
        row.correlationId = RequestIds.current().orElse(null);
        row.createdAt = envelope.occurredAt();
        row.persist();
        wakeRelayAfterCommit();
        return envelope;
    }

    private void wakeRelayAfterCommit() {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    relay.wakeUp();
                }
            }
        });
    }
}
