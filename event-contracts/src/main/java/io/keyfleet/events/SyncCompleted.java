package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** A catalog sync job of a resource pool ended; status SUCCEEDED, PARTIAL or FAILED, with counts per item (resource type). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SyncCompleted(String poolId, String jobId, String status, List<ItemCounts> items, String reason) implements DomainEvent {

    /** One item's result: how many upstream entries were seen and how many rows were created, updated or marked removed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ItemCounts(String item, String status, int seen, int created, int updated, int removed) {
    }

    public SyncCompleted {
        Checks.text(poolId, "poolId");
        Checks.text(jobId, "jobId");
        Checks.text(status, "status");
        Checks.present(items, "items");
        items = List.copyOf(items);
    }

    @Override
    public String aggregateId() {
        return poolId;
    }
}
