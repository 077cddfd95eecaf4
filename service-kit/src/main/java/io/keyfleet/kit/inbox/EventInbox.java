package io.keyfleet.kit.inbox;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.MalformedEventException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;
import java.util.List;
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

    /** Held (shared) while an event or a batch is being applied; {@link #awaitIdle} takes it exclusively. */
    private final ReentrantReadWriteLock applying = new ReentrantReadWriteLock();

    /**
     * @param consumer a stable name of the consuming feature, e.g. {@code signing-key-cache}
     * @param json the record value as received
     * @param effect applied inside the transaction, only the first time this event id is seen
     * @return true if the effect ran, false for a duplicate or an unreadable event (which is logged and skipped)
     */
    public boolean apply(String consumer, String json, Consumer<EventEnvelope> effect) {
        applying.readLock().lock();
        try {
            return applyOne(consumer, json, effect);
        } finally {
            applying.readLock().unlock();
        }
    }

    private boolean applyOne(String consumer, String json, Consumer<EventEnvelope> effect) {
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

    /**
     * Applies a batch of records as received from one poll, in their order, in ONE transaction, calling
     * {@code effect} for each event not seen before. See {@link #applyBatch}.
     */
    public List<EventEnvelope> applyAll(String consumer, List<String> jsons, Consumer<EventEnvelope> effect) {
        return applyBatch(consumer, jsons, fresh -> fresh.forEach(effect));
    }

    /**
     * Applies a batch of records as received from one poll in ONE transaction: the batch's events are marked
     * processed in one statement, and {@code effect} gets the ones not seen before, in order, so it can write its
     * own rows in bulk too. A consumer applying one event per transaction falls far behind a busy topic on a
     * shared database (see bench/README.md). If the batch fails, its events are applied one at a time, each in its
     * own transaction, so one bad event cannot hold back the others.
     *
     * @return the envelopes whose effect ran, in order
     */
    public List<EventEnvelope> applyBatch(String consumer, List<String> jsons, Consumer<List<EventEnvelope>> effect) {
        applying.readLock().lock();
        try {
            return applyInOneTransaction(consumer, jsons, effect);
        } finally {
            applying.readLock().unlock();
        }
    }

    /**
     * Waits until no event is being applied, up to {@code timeout}: on shutdown, once the consumers are closed, so that
     * a batch under way can commit before the database goes. True if none is being applied.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        if (!applying.writeLock().tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        applying.writeLock().unlock();
        return true;
    }

    private List<EventEnvelope> applyInOneTransaction(String consumer, List<String> jsons, Consumer<List<EventEnvelope>> effect) {
        List<EventEnvelope> readable = new ArrayList<>(jsons.size());
        for (String json : jsons) {
            try {
                readable.add(EventCodec.decode(json));
            } catch (MalformedEventException e) {
                registry.counter("keyfleet.inbox.malformed", "consumer", consumer).increment();
                LOG.warnf("Skipping an unreadable event for %s: %s", consumer, e.getMessage());
            }
        }
        List<EventEnvelope> applied;
        try {
            applied = QuarkusTransaction.requiringNew().call(() -> {
                Set<UUID> fresh = processedEvents.markAllProcessed(consumer,
                        readable.stream().map(EventEnvelope::eventId).collect(Collectors.toCollection(LinkedHashSet::new)));
                List<EventEnvelope> toApply = new ArrayList<>(fresh.size());
                for (EventEnvelope envelope : readable) {
                    if (fresh.remove(envelope.eventId())) { // remove: a redelivery inside the same batch runs once
                        toApply.add(envelope);
                    }
                }
                if (!toApply.isEmpty()) {
                    effect.accept(toApply);
                }
                return toApply;
            });
        } catch (RuntimeException batchFailed) {
            LOG.warnf("A batch of %d events for %s failed (%s); applying them one at a time", readable.size(), consumer,
                    batchFailed.getMessage());
            applied = new ArrayList<>();
            for (EventEnvelope envelope : readable) {
                if (QuarkusTransaction.requiringNew().call(() -> {
                    if (!processedEvents.markProcessed(consumer, envelope.eventId())) {
                        return false;
                    }
                    effect.accept(List.of(envelope));
                    return true;
                })) {
                    applied.add(envelope);
                }
            }
        }
        registry.counter("keyfleet.inbox.events", "consumer", consumer, "outcome", "applied").increment(applied.size());
        registry.counter("keyfleet.inbox.events", "consumer", consumer, "outcome", "duplicate").increment(readable.size() - applied.size());
        return applied;
    }
}
