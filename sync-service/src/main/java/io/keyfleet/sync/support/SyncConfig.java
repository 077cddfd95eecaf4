package io.keyfleet.sync.support;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "keyfleet.sync")
public interface SyncConfig {

    /** The longest any single call to an upstream pool may take, connect to last byte; the connectivity check's bound. */
    @WithDefault("PT5S")
    Duration upstreamTimeout();

    /**
     * The most of one upstream answer that is read (a page, the account): reading stops there, the connection is
     * closed and the item ends PARTIAL. Accepts sizes like 4M or 512K.
     */
    @WithDefault("4M")
    MemorySize maxPageBytes();

    /** The most pages an item may claim (totalPages); more ends the item PARTIAL before its first page is applied. */
    @WithDefault("10000")
    int maxPages();

    /** The most items one upstream page may carry (the page size asked for is keyfleet.sync.page-size). */
    @WithDefault("1000")
    int maxPageItems();

    /** Items per upstream page, and per database batch. */
    @WithDefault("500")
    int pageSize();

    /** Attempts per page before the item ends PARTIAL. */
    @WithDefault("5")
    int pageAttempts();

    /** First backoff after a failed page; doubles per attempt. */
    @WithDefault("PT0.2S")
    Duration retryBackoff();

    /** A rate limit asking to wait longer than this ends the item PARTIAL rather than blocking the job. */
    @WithDefault("PT60S")
    Duration maxRateLimitWait();

    /** How often pools with a sync interval are looked at (SyncSchedule reads it; declared here so it may be set). */
    @WithDefault("60s")
    Duration scheduleCheck();

    /** Jobs run at the same time on this replica. */
    @WithDefault("2")
    int workers();
}
