package io.keyfleet.sync.job;

import io.keyfleet.kit.outbox.Outbox;
import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.sync.catalog.CatalogType;
import io.keyfleet.sync.pool.Pool;
import io.keyfleet.sync.pool.Pools;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Starting jobs. One active job per pool and item: a request whose items are all in one active job joins it; one
 * that overlaps active items otherwise is refused with the busy items named. The database's partial unique index
 * settles races between replicas.
 */
@ApplicationScoped
public class SyncService {

    public record Started(SyncJobView job, boolean joined) {
    }

    private static final Logger LOG = Logger.getLogger(SyncService.class);

    @Inject
    SyncJobs jobs;

    @Inject
    Pools pools;

    @Inject
    SyncRunner runner;

    @Inject
    Outbox outbox;

    public Started start(Pool pool, List<String> requested, boolean selectedOnly) {
        List<CatalogType> items = items(pool, requested);
        Map<CatalogType, UUID> active = QuarkusTransaction.requiringNew().call(() -> jobs.activeItems(pool.id()));
        Set<UUID> overlapping = new HashSet<>();
        for (CatalogType type : items) {
            if (active.containsKey(type)) {
                overlapping.add(active.get(type));
            }
        }
        if (overlapping.size() == 1 && items.stream().allMatch(active::containsKey)) {
            UUID jobId = overlapping.iterator().next();
            return new Started(jobs.find(pool.id(), jobId).orElseThrow(), true);
        }
        if (!overlapping.isEmpty()) {
            throw busy(items.stream().filter(active::containsKey).map(CatalogType::path).toList());
        }
        UUID jobId = UUID.randomUUID();
        try {
            QuarkusTransaction.requiringNew().call(() -> {
                jobs.insert(jobId, pool.tenantId(), pool.id(), items, selectedOnly);
                return null;
            });
        } catch (RuntimeException e) {
            if (uniqueViolation(e)) {
                throw busy(items.stream().map(CatalogType::path).toList());
            }
            throw e;
        }
        runner.submit(jobId, pool.id(), items, selectedOnly);
        return new Started(jobs.find(pool.id(), jobId).orElseThrow(), false);
    }

    /**
     * Cancels a job: one no worker has taken up yet ends FAILED at once (its items free again); a running one is asked
     * to stop and ends PARTIAL after the page in hand.
     */
    public SyncJobView cancel(Pool pool, UUID jobId) {
        boolean endedQueued = QuarkusTransaction.requiringNew().call(() -> {
            if (!jobs.cancelQueued(pool.id(), jobId, "cancelled by the operator before it started")) {
                return false;
            }
            outbox.record(pool.tenantId(), jobs.find(pool.id(), jobId).orElseThrow().completed());
            return true;
        });
        if (!endedQueued && !QuarkusTransaction.requiringNew().call(() -> jobs.requestCancel(pool.id(), jobId))) {
            throw ProblemException.conflict("SYNC_JOB_NOT_ACTIVE", "Job " + jobId + " is not queued or running.");
        }
        return jobs.find(pool.id(), jobId).orElseThrow();
    }

    /** The requested items in sync order; base resources are added in front until they have synced once. */
    List<CatalogType> items(Pool pool, List<String> requested) {
        Set<CatalogType> chosen = new HashSet<>();
        if (requested == null || requested.isEmpty()) {
            chosen.addAll(List.of(CatalogType.values()));
        } else {
            for (String name : requested) {
                chosen.add(CatalogType.of(name).orElseThrow(() -> ProblemException.badRequest("VALIDATION_FAILED",
                        "items: '" + name + "' is not an item; items are " + CatalogType.names() + " (none = sync all).")));
            }
        }
        if (chosen.stream().anyMatch(type -> !type.base())) {
            for (CatalogType base : List.of(CatalogType.ZONES, CatalogType.OPERATING_SYSTEMS)) {
                if (!chosen.contains(base) && !QuarkusTransaction.requiringNew().call(() -> jobs.succeeded(pool.id(), base))) {
                    chosen.add(base);
                }
            }
        }
        List<CatalogType> ordered = new ArrayList<>();
        for (CatalogType type : CatalogType.values()) {
            if (chosen.contains(type)) {
                ordered.add(type);
            }
        }
        return ordered;
    }

    /** Scheduled "sync all" of every pool whose interval has passed; a pool already syncing is simply skipped. */
    public void runSchedules() {
        List<Pool> due = QuarkusTransaction.requiringNew().call(() -> pools.dueForSchedule(Instant.now()));
        for (Pool pool : due) {
            if (!QuarkusTransaction.requiringNew().call(() -> pools.claimScheduled(pool.id(), Instant.now()))) {
                continue; // another replica (or an earlier look) took this run
            }
            try {
                start(pool, List.of(), false);
            } catch (ProblemException e) {
                LOG.infof("Scheduled sync of pool %s skipped: %s", pool.id(), e.getMessage());
            }
        }
    }

    private static boolean uniqueViolation(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static ProblemException busy(List<String> items) {
        return ProblemException.conflict("SYNC_ALREADY_RUNNING", "A sync of " + items + " is already queued or running for this pool;"
                + " wait for it (GET its job) or ask for exactly its items to join it.");
    }
}
