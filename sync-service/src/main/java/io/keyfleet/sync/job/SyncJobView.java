package io.keyfleet.sync.job;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A job and its progress per item. */
public record SyncJobView(UUID id, UUID poolId, boolean selectedOnly, JobStatus status, String reason, boolean cancelRequested,
                          Instant createdAt, Instant startedAt, Instant finishedAt, List<ItemProgress> items) {

    public record ItemProgress(String item, JobStatus status, int seen, int created, int updated, int removed, String reason) {
    }
}
