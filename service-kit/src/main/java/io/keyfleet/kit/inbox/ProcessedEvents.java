package io.keyfleet.kit.inbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** The processed-event table: remembers which events a consumer has already applied. */
@ApplicationScoped
public class ProcessedEvents {

    @Inject
    EntityManager entityManager;

    /**
     * Marks the event processed for this consumer, in the caller's transaction, so the mark and the effect
     * commit or roll back together. Returns false when the event was processed before (a redelivery).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean markProcessed(String consumer, UUID eventId) {
        int inserted = entityManager.createNativeQuery(
                        "insert into processed_event (consumer, event_id) values (?1, ?2) on conflict do nothing")
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .executeUpdate();
        return inserted == 1;
    }

    /**
     * Marks many events in one statement, in the caller's transaction; returns the ids that were not processed
     * before. One round trip per batch instead of one per event is what lets a consumer keep up on a busy database.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public Set<UUID> markAllProcessed(String consumer, Collection<UUID> eventIds) {
        if (eventIds.isEmpty()) {
            return Set.of();
        }
        String ids = eventIds.stream().map(UUID::toString).collect(Collectors.joining(","));
        List<Object> fresh = entityManager.createNativeQuery(
                        "insert into processed_event (consumer, event_id) "
                                + "select ?1, id from unnest(cast(string_to_array(?2, ',') as uuid[])) as id "
                                + "on conflict do nothing returning event_id")
                .setParameter(1, consumer)
                .setParameter(2, ids)
                .getResultList();
        Set<UUID> marked = new HashSet<>();
        for (Object id : fresh) {
            marked.add(id instanceof UUID uuid ? uuid : UUID.fromString(id.toString()));
        }
        return marked;
    }
}
