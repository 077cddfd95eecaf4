package io.keyfleet.sync;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Starts the {@link UpstreamWorld} before sync-service and points keyfleet.sync.key-service-url at it. The schedule
 * is looked at every second, so a test sees a due pool synced without waiting a minute.
 */
public class UpstreamWorldResource implements QuarkusTestResourceLifecycleManager {

    static volatile UpstreamWorld world;

    public static UpstreamWorld world() {
        return world;
    }

    @Override
    public Map<String, String> start() {
        try {
            world = new UpstreamWorld();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("keyfleet.sync.key-service-url", world.url(), "keyfleet.sync.schedule-check", "1s");
    }

    @Override
    public void stop() {
        if (world != null) {
            world.close();
        }
    }
}
