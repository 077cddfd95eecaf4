package io.keyfleet.sync.support;

import io.smallrye.config.ConfigMapping;
import java.net.URI;

@ConfigMapping(prefix = "keyfleet.sync")
public interface SyncConfig {

    /** Pool secrets live in key-service's secret backend, never in sync-service's tables. */
    URI keyServiceUrl();
}
