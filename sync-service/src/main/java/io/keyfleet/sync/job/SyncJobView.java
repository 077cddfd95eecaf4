package io.keyfleet.sync.job;

import io.keyfleet.events.SyncCompleted;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A job and its progress per item. */
public record SyncJobView(UUID id, UUID poolId, boolean selectedOnly, JobStatus status, String reason, boolean cancelRequested,
                          Instant createdAt, Instant startedAt, Instant finishedAt, List<ItemProgress> items) {

    /** The SyncCompleted event of this job once it ended. */
    public SyncCompleted completed() {
        return new SyncCompleted(poolId.toString(), id.toString(), status.name(), items.stream().map(item -> new SyncCompleted.ItemCounts(
                item.item(), item.status().name(), item.seen(), item.created(), item.updated(), item.removed())).toList(), reason);
    }

    public record ItemProgress(String item, JobStatus status, int seen, int created, int updated, int removed, String reason) {
    }
}
