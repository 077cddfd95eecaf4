package io.keyfleet.tokens.refresh;

import io.keyfleet.tokens.support.TokensConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/** This replica's share of the refreshing: every tick it claims due grants and refreshes them, a few at a time. */
@ApplicationScoped
public class RefreshScheduler {

    private static final Logger LOG = Logger.getLogger(RefreshScheduler.class);
    /** On shutdown, how long refreshes already talking to the provider may go on before they are interrupted. */
    static final Duration STOP_WAIT = Duration.ofSeconds(2);

    @Inject
    Refresher refresher;

    @Inject
    TokensConfig config;

    /** This replica's name in lease_owner. */
    private final String owner = "replica-" + UUID.randomUUID();
    private ThreadPoolExecutor pool;
    private volatile boolean stopping;

    @PostConstruct
    void init() {
        AtomicInteger threads = new AtomicInteger();
        int concurrency = config.scheduler().concurrency();
        pool = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "token-refresh-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public String owner() {
        return owner;
    }

    @Scheduled(every = "${keyfleet.tokens.scheduler.tick:1s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!config.scheduler().enabled() || stopping) {
            return;
        }
        refresher.refreshDue(owner, config.scheduler().batchSize(), pool);
    }

    /** Runs whether or not this replica schedules refreshes: refreshes on read and forced ones hold leases too. */
    @Scheduled(every = "${keyfleet.tokens.scheduler.lease-renewal:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void renewLeases() {
        if (!stopping) {
            refresher.renewLeases();
        }
    }

    /**
     * Claimed refreshes that have not started are dropped (their leases run out and a replica takes them again);
     * the tick waiting for them returns at once. Refreshes already under way get {@link #STOP_WAIT}, then they
     * are interrupted.
     */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        pool.shutdown();
        List<Runnable> queued = new ArrayList<>();
        pool.getQueue().drainTo(queued);
        for (Runnable task : queued) {
            if (task instanceof Future<?> future) {
                future.cancel(false);
            }
        }
        try {
            if (!pool.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.infof("Refreshes still under way %d ms after shutdown began; interrupting them", STOP_WAIT.toMillis());
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }
}
