package io.keyfleet.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** TCP ports on the loopback interface: is one free, find a free one, wait until one is free or answers. */
public final class LocalPorts {

    /** Ports below this are left to well-known and registered services (PostgreSQL 5432, Kafka 9092, ...). */
    static final int FIRST_CHOSEN_PORT = 15000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private LocalPorts() {
    }

    /** True when nothing listens on {@code port} on localhost, so a server can bind it now. */
    public static boolean isFree(int port) {
        requireValidPort(port);
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A port that is free on localhost right now, chosen below the operating system's ephemeral range
     * ({@code /proc/sys/net/ipv4/ip_local_port_range}). A port the kernel hands out itself would do for a server that
     * binds it at once, but the suite's servers bind theirs seconds later, and meanwhile any outgoing connection on
     * the machine may be given that same port as its local port: the server then fails with "address in use".
     * Below the ephemeral range only another server can take it. Where that range leaves no room, the kernel chooses.
     */
    public static int findFree() {
        int ephemeralStart = ephemeralRangeStart();
        if (ephemeralStart - FIRST_CHOSEN_PORT >= 1000) {
            for (int attempt = 0; attempt < 500; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(FIRST_CHOSEN_PORT, ephemeralStart);
                if (isFree(port)) {
                    return port;
                }
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("Could not find a free TCP port on localhost", e);
        }
    }

    /** The first port of the kernel's ephemeral range; 32768 (Linux' default) where it cannot be read. */
    static int ephemeralRangeStart() {
        try {
            // readAllLines, not readString: /proc files claim size 0, and readString then returns one byte
            String range = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    /** A free port on localhost other than {@code excluded}. */
    public static int findFreeOtherThan(int excluded) {
        int port = findFree();
        while (port == excluded) {
            port = findFree();
        }
        return port;
    }

    /** True when a TCP connection to {@code port} on localhost is accepted. */
    public static boolean isAccepting(int port) {
        requireValidPort(port);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until {@code port} is free; returns false if it is still taken after {@code timeout}. */
    public static boolean awaitFree(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isFree(port)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(Duration.ofMillis(100));
        }
        return true;
    }

    /** Throws with a message naming the port and the server when {@code port} is taken. */
    static void requireFree(int port, String server) {
        if (!isFree(port)) {
            throw new IllegalStateException("Cannot start " + server + ": port " + port
                    + " on localhost is already in use. Stop whatever listens there, or pass port 0 to pick a free one.");
        }
    }

    static void requireValidPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Port must be between 0 and 65535, got " + port);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting", e);
        }
    }
}
