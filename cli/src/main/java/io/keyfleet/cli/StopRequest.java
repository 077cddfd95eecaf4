package io.keyfleet.cli;

import sun.misc.Signal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGINT (Ctrl-C), SIGTERM ({@code ./keyfleet down}) and SIGHUP (terminal closed) into one stop request for the
 * supervisor's main thread. While the suite is still starting, the main thread is interrupted, which cancels the start.
 *
 * <p>The signals are caught with {@code sun.misc.Signal} rather than left to shutdown hooks: shutdown hooks run
 * concurrently (local-stack registers its own for PostgreSQL and Kafka), so they could not stop the services first.
 */
final class StopRequest {

    private static final List<String> STOP_SIGNALS = List.of("INT", "TERM", "HUP");
    /** The third signal gives up on an orderly stop (for a user hammering Ctrl-C at a stop that hangs). */
    private static final int REPEATS_TO_ABANDON = 2;

    private final Thread mainThread;
    private final PrintStream out;
    private final CountDownLatch requested = new CountDownLatch(1);
    private boolean starting = true;
    private int repeatedRequests;

    StopRequest(Thread mainThread, PrintStream out) {
        this.mainThread = mainThread;
        this.out = out;
    }

    void installSignalHandlers() {
        for (String name : STOP_SIGNALS) {
            Signal.handle(new Signal(name), signal -> request("SIG" + signal.getName()));
        }
    }

    synchronized void request(String reason) {
        if (isRequested()) {
            repeatedRequests++;
            if (repeatedRequests >= REPEATS_TO_ABANDON) {
                out.println("Stopping abandoned; ./keyfleet down stops whatever is left.");
                Runtime.getRuntime().halt(UpCommand.EXIT_CANCELLED);
            }
            out.println("Already stopping; please wait (" + reason + " once more abandons the stop).");
            return;
        }
        out.println();
        out.println(reason + " received: stopping Keyfleet...");
        requested.countDown();
        if (starting) {
            mainThread.interrupt();
        }
    }

    /** From now on a request only wakes {@link #await(Duration)}; it no longer interrupts. */
    synchronized void startupFinished() {
        starting = false;
    }

    boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** True when a stop was requested within {@code timeout}. */
    boolean await(Duration timeout) throws InterruptedException {
        return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
