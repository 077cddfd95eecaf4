package io.keyfleet.sync.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Pools with syncIntervalMinutes get a "sync all" that often. */
@ApplicationScoped
public class SyncSchedule {

    @Inject
    SyncJobs jobs;

    @Inject
    MeterRegistry registry;

    private Counter checks;

    @PostConstruct
    void init() {
        checks = Counter.builder("keyfleet.sync.schedule.checks")
                .description("Completed looks at the pools' sync schedules (each starts the jobs that were due)").register(registry);
    }

    @Scheduled(every = "${keyfleet.sync.schedule-check:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        jobs.runSchedules();
        checks.increment();
    }
}
