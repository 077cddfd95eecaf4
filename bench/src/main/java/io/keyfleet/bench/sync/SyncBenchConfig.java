package io.keyfleet.bench.sync;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "bench.sync")
public interface SyncBenchConfig {

    /** Items of the measured catalog (12 zones + 24 operating systems + the rest shared by the five line types). */
    @WithDefault("100000")
    int catalogSize();

    /** Items of the smaller catalog synced first: warms up the three services, and shows whether memory grows with size. */
    @WithDefault("10000")
    int warmUpCatalogSize();

    /** The upstream change before the last re-sync, in cloud-server-lines: items added, changed and removed. */
    @WithDefault("10")
    int added();

    @WithDefault("20")
    int changed();

    @WithDefault("5")
    int removed();

    /** Items per page of the raw-fetch reference; keep it equal to sync-service's keyfleet.sync.page-size. */
    @WithDefault("500")
    int pageSize();

    /** The goal for a full sync of catalogSize items. */
    @WithDefault("15s")
    Duration targetFullSync();

    /** Longest wait for one sync job to end. */
    @WithDefault("300s")
    Duration jobTimeout();

    /**
     * PostgreSQL's cumulative statistics reach pg_stat_user_tables when a backend has been idle for up to 10 s
     * (PGSTAT_IDLE_INTERVAL); the wait after each job before they are read.
     */
    @WithDefault("11s")
    Duration statsSettle();

    Optional<Path> keyServiceJar();

    Optional<Path> syncServiceJar();

    Optional<Path> sandboxJar();

    @WithDefault("-Xms256m -Xmx512m -XX:+UseG1GC")
    String keyServiceJvmOptions();

    /** sync-service's heap: small on purpose, a sync that held the catalog in memory would not fit. */
    @WithDefault("-Xms256m -Xmx256m -XX:+UseG1GC")
    String syncServiceJvmOptions();

    @WithDefault("-Xms256m -Xmx512m -XX:+UseG1GC")
    String sandboxJvmOptions();

    @WithDefault("120s")
    Duration startTimeout();

    @WithDefault("30s")
    Duration requestTimeout();
}
