package io.keyfleet.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StopRequestTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void aRequestDuringStartUpInterruptsTheStartingThread() throws Exception {
        StopRequest stopRequest = new StopRequest(Thread.currentThread(), out);
        try {
            stopRequest.request("SIGINT");
            assertTrue(Thread.currentThread().isInterrupted(), "the start is cancelled by interruption");
            assertTrue(stopRequest.isRequested());
        } finally {
            Thread.interrupted();
        }
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("SIGINT received: stopping Keyfleet..."));
    }

    @Test
    void aRequestOnceRunningOnlyWakesTheWaitingThread() throws Exception {
        StopRequest stopRequest = new StopRequest(Thread.currentThread(), out);
        stopRequest.startupFinished();
        assertFalse(stopRequest.await(Duration.ofMillis(10)), "no request yet");

        stopRequest.request("SIGTERM");

        assertFalse(Thread.currentThread().isInterrupted());
        assertTrue(stopRequest.await(Duration.ZERO));
    }

    @Test
    void aSecondRequestSaysThatTheStopIsUnderWay() {
        StopRequest stopRequest = new StopRequest(Thread.currentThread(), out);
        stopRequest.startupFinished();
        stopRequest.request("SIGINT");
        stopRequest.request("SIGINT");
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("Already stopping; please wait"));
    }
}
