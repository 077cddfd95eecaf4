package io.keyfleet.sync;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Starts the {@link UpstreamWorld} and a {@link HostileUpstream} before sync-service and points
 * quarkus.rest-client.key-service.url at the world's key-service stub. The outbound policy allows exactly their two loopback addresses and
 * ports, and one port nothing listens on (an upstream that is allowed but down); any other local port stays refused.
 * The schedule is looked at every second, so a test sees a due pool synced without waiting a minute.
 */
public class UpstreamWorldResource implements QuarkusTestResourceLifecycleManager {

    static volatile UpstreamWorld world;
    static volatile HostileUpstream hostile;
    static volatile int closedPort;

    public static UpstreamWorld world() {
        return world;
    }

    static HostileUpstream hostile() {
        return hostile;
    }

    /** An allowed upstream address where nothing listens. */
    static String closedUrl() {
        return "http://127.0.0.1:" + closedPort;
    }

    @Override
    public Map<String, String> start() {
        try {
            world = new UpstreamWorld();
            hostile = new HostileUpstream();
            try (ServerSocket reserved = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                closedPort = reserved.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String allow = String.join(",", "127.0.0.1:" + world.port(), "127.0.0.1:" + hostile.port(), "127.0.0.1:" + closedPort);
        return Map.of("quarkus.rest-client.key-service.url", world.keyServiceUrl(), "keyfleet.sync.schedule-check", "1s", "keyfleet.outbound.allow", allow);
    }

    @Override
    public void stop() {
        if (world != null) {
            world.close();
        }
        if (hostile != null) {
            try {
                hostile.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
