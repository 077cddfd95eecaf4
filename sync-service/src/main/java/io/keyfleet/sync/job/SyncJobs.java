package io.keyfleet.sync.job;

import io.keyfleet.kit.outbox.Outbox;
import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.sync.catalog.CatalogType;
import io.keyfleet.sync.pool.Pool;
import io.keyfleet.sync.pool.Pools;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
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
 * Sync jobs: starting, cancelling and reading them. One active job per pool and item: a request whose items are all in
 * one active job joins it; one that overlaps active items otherwise is refused with the busy items named. The
 * database's partial unique index settles races between replicas.
 */
@ApplicationScoped
public class SyncJobs {

    public record Started(SyncJobView job, boolean joined) {
    }

    private static final Logger LOG = Logger.getLogger(SyncJobs.class);

    @Inject
    SyncJobTable jobTable;

    @Inject
    ItemSyncTable itemSyncTable;

    @Inject
    Pools pools;

    @Inject
    SyncRunner runner;

    @Inject
    Outbox outbox;

    /**
     * Joins the active job of exactly these items, or records a new job and hands it to the runner. The new job commits
     * in a transaction of its own before the runner (another thread) is given it.
     */
    public Started start(Pool pool, List<String> requested, boolean selectedOnly) {
        List<CatalogType> items = items(pool, requested);
        Map<CatalogType, UUID> active = QuarkusTransaction.requiringNew().call(() -> jobTable.activeItems(pool.id));
        Set<UUID> overlapping = new HashSet<>();
        for (CatalogType type : items) {
            if (active.containsKey(type)) {
                overlapping.add(active.get(type));
            }
        }
        if (overlapping.size() == 1 && items.stream().allMatch(active::containsKey)) {
            UUID jobId = overlapping.iterator().next();
            return new Started(jobTable.find(pool.id, jobId).orElseThrow(), true);
        }
        if (!overlapping.isEmpty()) {
            throw busy(items.stream().filter(active::containsKey).map(CatalogType::path).toList());
        }
        UUID jobId = UUID.randomUUID();
        try {
            QuarkusTransaction.requiringNew().call(() -> {
                jobTable.insert(jobId, pool.tenantId, pool.id, items, selectedOnly);
                return null;
            });
        } catch (RuntimeException e) {
            if (uniqueViolation(e)) {
                throw busy(items.stream().map(CatalogType::path).toList());
            }
            throw e;
        }
        runner.submit(jobId, pool.id, items, selectedOnly);
        return new Started(jobTable.find(pool.id, jobId).orElseThrow(), false);
    }

    /**
     * Cancels a job: one no worker has taken up yet ends FAILED at once (its items free again); a running one is asked
     * to stop and ends PARTIAL after the page in hand.
     */
    @Transactional
    public SyncJobView cancel(Pool pool, UUID jobId) {
        SyncJobView job = get(pool, jobId);
        if (jobTable.cancelQueued(pool.id, jobId, "cancelled by the operator before it started")) {
            job = get(pool, jobId);
            outbox.record(pool.tenantId, job.completed());
            return job;
        }
        if (!jobTable.requestCancel(pool.id, jobId)) {
            throw ProblemException.conflict("SYNC_JOB_NOT_ACTIVE", "Job " + jobId + " is not queued or running.");
        }
        return get(pool, jobId);
    }

    @Transactional
    public SyncJobView get(Pool pool, UUID jobId) {
        return jobTable.find(pool.id, jobId).orElseThrow(() -> ProblemException.notFound("SYNC_JOB_NOT_FOUND", "No job " + jobId + "."));
    }

    /** The pool's recent jobs, newest first. */
    @Transactional
    public List<SyncJobView> recent(Pool pool) {
        return jobTable.recent(pool.id, 50);
    }

    /** Each item's last sync. */
    @Transactional
    public List<ItemSyncTable.ItemSync> items(Pool pool) {
        return itemSyncTable.ofPool(pool.id);
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
                if (!chosen.contains(base) && !QuarkusTransaction.requiringNew().call(() -> itemSyncTable.succeeded(pool.id, base))) {
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

    /**
     * Scheduled "sync all" of every pool whose interval has passed; a pool already syncing is simply skipped. Each claim
     * of a pool's run commits on its own before its job is started.
     */
    public void runSchedules() {
        List<Pool> due = pools.dueForSchedule(Instant.now());
        for (Pool pool : due) {
            if (!pools.claimScheduledRun(pool.id, Instant.now())) {
                continue; // another replica (or an earlier look) took this run
            }
            try {
                start(pool, List.of(), false);
            } catch (ProblemException e) {
                LOG.infof("Scheduled sync of pool %s skipped: %s", pool.id, e.getMessage());
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
