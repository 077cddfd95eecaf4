package io.keyfleet.tokens.refresh;

import io.keyfleet.tokens.support.TokensConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** This replica's share of the refreshing: every tick it claims due grants and refreshes them, a few at a time. */
@ApplicationScoped
public class RefreshScheduler {

    @Inject
    Refresher refresher;

    @Inject
    TokensConfig config;

    /** This replica's name in lease_owner. */
    private final String owner = "replica-" + UUID.randomUUID();
    private ExecutorService pool;
    private volatile boolean stopping;

    @PostConstruct
    void init() {
        AtomicInteger threads = new AtomicInteger();
        pool = Executors.newFixedThreadPool(config.scheduler().concurrency(), task -> {
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

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        pool.shutdownNow();
    }
}
