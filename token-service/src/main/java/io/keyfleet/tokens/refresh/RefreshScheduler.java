package io.keyfleet.tokens.refresh;

import io.keyfleet.tokens.crypto.TokenKeyRotation;
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
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jboss.logging.Logger;

/**
 * This replica's share of the background work: every tick it claims due grants and refreshes them, a few at a time;
 * now and then it moves stored tokens to the active token key ({@link TokenKeyRotation}).
 */
@ApplicationScoped
public class RefreshScheduler {

    private static final Logger LOG = Logger.getLogger(RefreshScheduler.class);
    /** On shutdown, how long refreshes already talking to the provider may go on before they are interrupted. */
    static final Duration STOP_WAIT = Duration.ofSeconds(2);

    @Inject
    Refresher refresher;

    @Inject
    TokensConfig config;

    @Inject
    TokenKeyRotation keyRotation;

    /** This replica's name in lease_owner. */
    private final String owner = "replica-" + UUID.randomUUID();
    private ThreadPoolExecutor pool;
    private volatile boolean stopping;
    /** Held (shared) by a running tick or lease renewal; {@link #stop} takes it exclusively to wait for them. */
    private final ReentrantReadWriteLock jobs = new ReentrantReadWriteLock();

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
        if (!config.scheduler().enabled()) {
            return;
        }
        whileRunning(() -> refresher.refreshDue(owner, config.scheduler().batchSize(), pool));
    }

    /** Tokens under an older token key are encrypted again under the active one, a batch per transaction. */
    @Scheduled(every = "${keyfleet.tokens.reencryption.interval:1m}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reencrypt() {
        if (!config.scheduler().enabled()) {
            return;
        }
        whileRunning(() -> keyRotation.reencrypt(() -> stopping));
    }

    /** Runs whether or not this replica schedules refreshes: refreshes on read and forced ones hold leases too. */
    @Scheduled(every = "${keyfleet.tokens.scheduler.lease-renewal:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void renewLeases() {
        whileRunning(refresher::renewLeases);
    }

    /**
     * Runs a scheduled job unless shutdown has begun; {@link #stop} waits for one under way (it must not outlive the
     * database: Quarkus closes Hibernate right after the shutdown observers, and the scheduler does not wait for jobs).
     */
    private void whileRunning(Runnable job) {
        if (stopping || !jobs.readLock().tryLock()) {
            return;
        }
        try {
            if (!stopping) {
                job.run();
            }
        } finally {
            jobs.readLock().unlock();
        }
    }

    /**
     * No new tick or lease renewal starts. Claimed refreshes that have not started are dropped (their leases run out
     * and a replica takes them again); refreshes already under way get {@link #STOP_WAIT}, then they are interrupted;
     * then it waits (up to {@link #STOP_WAIT} more) for the tick, or a re-encryption pass (it stops after its current
     * batch), to return.
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
            // the tick returns once its refreshes have (a dropped one counts as done); a lease renewal is one statement
            if (jobs.writeLock().tryLock(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                jobs.writeLock().unlock();
            } else {
                LOG.infof("A refresh tick is still running %d ms after its refreshes were stopped", STOP_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }
}
