package io.keyfleet.bench.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When each event was committed, reached the consumer and had its effect committed, on this JVM's
 * {@link System#nanoTime()} clock (producer and consumer run in the same process, so no clock skew).
 */
@ApplicationScoped
public class EventTimings {

    static final long UNSET = Long.MIN_VALUE;

    /** The times of one event; written by a committing thread and by the consumer, in either order. */
    public static final class Timing {
        volatile long committed = UNSET;
        volatile long received = UNSET;
        volatile long applied = UNSET;

        boolean isApplied() {
            return applied != UNSET;
        }
    }

    private final ConcurrentHashMap<UUID, Timing> byEventId = new ConcurrentHashMap<>(1 << 17);
    private final AtomicLong duplicatesSkipped = new AtomicLong();

    Timing of(UUID eventId) {
        return byEventId.computeIfAbsent(eventId, id -> new Timing());
    }

    /** Just after the transaction that recorded the event committed. */
    void committed(UUID eventId, long at) {
        of(eventId).committed = at;
    }

    /** The consumer got the event at {@code received} and its effect transaction committed at {@code applied}. */
    void applied(UUID eventId, long received, long applied) {
        Timing timing = of(eventId);
        timing.received = received;
        timing.applied = applied;
    }

    /** A redelivery the inbox recognised and skipped. */
    void duplicateSkipped() {
        duplicatesSkipped.incrementAndGet();
    }

    long duplicatesSkipped() {
        return duplicatesSkipped.get();
    }

    long countApplied(Collection<UUID> eventIds) {
        return eventIds.stream().map(byEventId::get).filter(t -> t != null && t.isApplied()).count();
    }

    /** The latest effect time among these events, or UNSET. */
    long lastApplied(Collection<UUID> eventIds) {
        long last = UNSET;
        for (UUID id : eventIds) {
            Timing timing = byEventId.get(id);
            if (timing != null && timing.isApplied() && (last == UNSET || timing.applied - last > 0)) {
                last = timing.applied;
            }
        }
        return last;
    }
}
