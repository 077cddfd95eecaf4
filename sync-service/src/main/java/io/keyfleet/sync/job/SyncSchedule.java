package io.keyfleet.sync.job;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Pools with syncIntervalMinutes get a "sync all" that often. */
@ApplicationScoped
public class SyncSchedule {

    @Inject
    SyncService service;

    @Scheduled(every = "${keyfleet.sync.schedule-check:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        service.runSchedules();
    }
}
