package io.keyfleet.sync.job;

import io.keyfleet.kit.outbound.OutboundRefusedException;
import io.keyfleet.kit.outbox.Outbox;
import io.keyfleet.sync.catalog.CatalogType;
import io.keyfleet.sync.catalog.CatalogWriter;
import io.keyfleet.sync.pool.ConnectivityCheck;
import io.keyfleet.sync.pool.Pool;
import io.keyfleet.sync.pool.PoolHealth;
import io.keyfleet.sync.pool.PoolHealthRecorder;
import io.keyfleet.sync.pool.Pools;
import io.keyfleet.sync.support.SyncConfig;
import io.keyfleet.sync.upstream.PoolApiClient;
import io.keyfleet.sync.upstream.UpstreamException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs sync jobs in the background, one item after the other (base resources first): pages streamed from upstream,
 * each applied in its own transaction. A page that keeps failing ends its item PARTIAL with the reason; a rate limit
 * is waited out for as long as the platform asks (up to keyfleet.sync.max-rate-limit-wait).
 */
@ApplicationScoped
public class SyncRunner {

    private static final Logger LOG = Logger.getLogger(SyncRunner.class);
    private static final Duration CANCEL_CHECK = Duration.ofMillis(250);
    static final Duration STOP_WAIT = Duration.ofSeconds(2);

    @Inject
    SyncConfig config;

    @Inject
    SyncJobTable jobTable;

    @Inject
    ItemSyncTable itemSyncTable;


    @Inject
    Pools pools;

    @Inject
    PoolApiClient upstream;

    @Inject
    CatalogWriter writer;

    @Inject
    Outbox outbox;

    @Inject
    PoolHealthRecorder healthRecorder;

    private ExecutorService executor;

    /** Fetches the next page of each running item while the job thread applies the current one. */
    private ExecutorService fetcher;

    void start(@Observes StartupEvent event) {
        executor = Executors.newFixedThreadPool(config.workers(), runnable -> {
            Thread thread = new Thread(runnable, "sync-job");
            thread.setDaemon(true);
            return thread;
        });
        fetcher = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "sync-fetch");
            thread.setDaemon(true);
            return thread;
        });
        int abandoned = QuarkusTransaction.requiringNew().call(() -> jobTable.failAbandoned("sync-service restarted while the job was queued or running; start it again."));
        if (abandoned > 0) {
            LOG.infof("%d sync jobs left by a previous run ended FAILED", abandoned);
        }
    }

    /**
     * Interrupts running jobs (a page fetch, backoff or rate-limit wait then ends at once) and waits up to
     * {@link #STOP_WAIT} for them; a job left queued or running is ended FAILED at the next start.
     */
    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.infof("Sync jobs still running %d ms after shutdown began; leaving them to the next start", STOP_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // after the jobs: a job still winding down may ask for one more page
        fetcher.shutdownNow();
    }

    public void submit(UUID jobId, UUID poolId, List<CatalogType> items, boolean selectedOnly) {
        executor.submit(() -> {
            try {
                run(jobId, poolId, items, selectedOnly);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Sync job %s failed unexpectedly", jobId);
                tx(() -> {
                    for (CatalogType type : items) {
                        jobTable.markItem(jobId, type, JobStatus.FAILED, "internal error: " + e.getClass().getSimpleName());
                    }
                    jobTable.markJob(jobId, JobStatus.FAILED, "internal error: " + e.getClass().getSimpleName());
                });
            }
        });
    }

    void run(UUID jobId, UUID poolId, List<CatalogType> items, boolean selectedOnly) {
        if (!QuarkusTransaction.requiringNew().call(() -> jobTable.begin(jobId))) {
            return; // cancelled while it waited for a worker: it has ended already
        }
        Optional<Pool> found = pools.findAnyTenant(poolId);
        if (found.isEmpty()) {
            finish(jobId, null, items, JobStatus.FAILED, "The pool was deleted.");
            return;
        }
        Pool pool = found.get();
        // credential health on every use: a credential problem (secret missing or refused, address not authorized) stops the
        // job; a platform that is merely slow, limited or erring is left to the page retries
        ConnectivityCheck.Report check;
        try {
            check = pools.check(pool);
        } catch (OutboundRefusedException e) {
            finish(jobId, pool, items, JobStatus.FAILED, "The pool's address is refused (" + e.code() + "): " + e.detail());
            return;
        }
        boolean credentialProblem = switch (check.health()) {
            case SECRET_MISSING, AUTH_FAILED, IP_NOT_AUTHORIZED -> true;
            default -> false;
        };
        Optional<PoolApiClient.Endpoint> endpoint = credentialProblem ? Optional.empty() : pools.endpoint(pool);
        if (endpoint.isEmpty()) {
            finish(jobId, pool, items, JobStatus.FAILED, "Connectivity check failed (" + check.health() + "): " + check.message());
            return;
        }
        List<String> problems = new ArrayList<>();
        boolean baseFailed = false;
        for (CatalogType type : items) {
            if (jobTable.cancelRequested(jobId)) {
                problems.add("cancelled by the operator before " + type.path());
                tx(() -> jobTable.markItem(jobId, type, JobStatus.FAILED, "cancelled"));
                continue;
            }
            if (baseFailed && !type.base()) {
                String reason = "not synced: the base resources (zones, operating systems) did not sync completely";
                problems.add(type.path() + ": " + reason);
                tx(() -> jobTable.markItem(jobId, type, JobStatus.FAILED, reason));
                continue;
            }
            tx(() -> jobTable.markItem(jobId, type, JobStatus.RUNNING, null));
            String failure = syncItem(jobId, pool, endpoint.get(), type, selectedOnly);
            JobStatus status = failure == null ? JobStatus.SUCCEEDED : JobStatus.PARTIAL;
            if (failure != null) {
                problems.add(type.path() + ": " + failure);
                baseFailed |= type.base();
            }
            tx(() -> {
                jobTable.markItem(jobId, type, status, failure);
                itemSyncTable.record(pool.id, type, jobId, status, failure);
            });
        }
        JobStatus overall = problems.isEmpty() ? JobStatus.SUCCEEDED : JobStatus.PARTIAL;
        if (overall == JobStatus.SUCCEEDED && !check.ok()) {
            healthRecorder.record(pool, PoolHealth.HEALTHY, "Every page of the last sync was read; the earlier trouble has passed.");
        }
        finish(jobId, pool, List.of(), overall, problems.isEmpty() ? null : String.join("; ", problems));
    }

    /**
     * Syncs one item; null when every page was applied, else why not. The next page is fetched while this one is
     * applied, so upstream and database work overlap; at most two pages are in memory.
     */
    private String syncItem(UUID jobId, Pool pool, PoolApiClient.Endpoint endpoint, CatalogType type, boolean selectedOnly) {
        String afterId = "";
        int totalPages = 1;
        CompletableFuture<PoolApiClient.Page> next = prefetch(jobId, endpoint, type, 1);
        for (int page = 1; page <= totalPages; page++) {
            if (page > 1 && jobTable.cancelRequested(jobId)) {
                next.cancel(false);
                return "cancelled by the operator at page " + page;
            }
            PoolApiClient.Page result;
            try {
                result = await(next);
            } catch (UpstreamException e) {
                return "page " + page + " failed: " + e.getMessage();
            } catch (JobCancelled e) {
                return "cancelled by the operator at page " + page;
            }
            totalPages = result.totalPages();
            boolean last = page >= totalPages;
            if (!last) {
                next = prefetch(jobId, endpoint, type, page + 1);
            }
            try {
                String from = afterId;
                CatalogWriter.Counts counts = writer.apply(pool, type, from, result.items(), selectedOnly, last);
                tx(() -> jobTable.progress(jobId, type, counts.seen(), counts.created(), counts.updated(), counts.removed()));
            } catch (Exception e) {
                next.cancel(false);
                return "page " + page + " could not be applied: " + e.getMessage();
            }
            if (!result.items().isEmpty()) {
                afterId = result.items().get(result.items().size() - 1).id();
            }
        }
        return null;
    }

    private CompletableFuture<PoolApiClient.Page> prefetch(UUID jobId, PoolApiClient.Endpoint endpoint, CatalogType type, int page) {
        return CompletableFuture.supplyAsync(() -> fetch(jobId, endpoint, type, page), fetcher);
    }

    private static PoolApiClient.Page await(CompletableFuture<PoolApiClient.Page> page) {
        try {
            return page.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpstreamException upstream) {
                throw upstream;
            }
            if (e.getCause() instanceof JobCancelled cancelled) {
                throw cancelled;
            }
            throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "fetch failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "interrupted");
        }
    }

    /** One page, retried with backoff; a rate limit waits for its reset; a failure beyond a bound is not retried. */
    private PoolApiClient.Page fetch(UUID jobId, PoolApiClient.Endpoint endpoint, CatalogType type, int page) {
        UpstreamException lastFailure = null;
        Duration backoff = config.retryBackoff();
        int attempt;
        for (attempt = 1; attempt <= config.pageAttempts(); attempt++) {
            try {
                return upstream.page(endpoint, type.path(), page, config.pageSize());
            } catch (OutboundRefusedException e) {
                throw new UpstreamException(UpstreamException.Kind.ADDRESS_REFUSED, "the pool's address is refused (" + e.code() + "): "
                        + e.detail());
            } catch (UpstreamException e) {
                lastFailure = e;
                if (!e.transientFailure() || attempt == config.pageAttempts()) {
                    break;
                }
                Duration wait = backoff;
                if (e.kind() == UpstreamException.Kind.RATE_LIMITED) {
                    if (e.retryAfter().compareTo(config.maxRateLimitWait()) > 0) {
                        throw new UpstreamException(e.kind(), "rate-limited until " + e.retryAfter().toSeconds()
                                + " s from now, longer than keyfleet.sync.max-rate-limit-wait; sync again after the reset.");
                    }
                    wait = e.retryAfter();
                } else {
                    backoff = backoff.multipliedBy(2);
                }
                pause(jobId, wait);
            }
        }
        int attempts = Math.min(attempt, config.pageAttempts());
        throw new UpstreamException(lastFailure.kind(), attempts == 1 ? lastFailure.getMessage()
                : "after " + attempts + " attempts: " + lastFailure.getMessage());
    }

    private void finish(UUID jobId, Pool pool, List<CatalogType> unstarted, JobStatus status, String reason) {
        tx(() -> {
            for (CatalogType type : unstarted) {
                jobTable.markItem(jobId, type, JobStatus.FAILED, reason);
            }
            jobTable.markJob(jobId, status, reason);
            if (pool != null) {
                outbox.record(pool.tenantId, jobTable.find(pool.id, jobId).orElseThrow().completed());
            }
        });
        LOG.infof("Sync job %s ended %s%s", jobId, status, reason == null ? "" : ": " + reason);
    }

    private static void tx(Runnable work) {
        QuarkusTransaction.requiringNew().run(work);
    }

    /** A cancel stops a job within a moment even while it waits out a backoff or a long rate limit. */
    private void pause(UUID jobId, Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = until - System.nanoTime()) {
            if (jobTable.cancelRequested(jobId)) {
                throw new JobCancelled();
            }
            sleep(Duration.ofNanos(Math.min(left, CANCEL_CHECK.toNanos())));
        }
    }

    private static final class JobCancelled extends RuntimeException {
        JobCancelled() {
            super(null, null, false, false);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "interrupted");
        }
    }
}
