package io.keyfleet.localstack;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fake servers (shell scripts) that print what real ones print, to show that only answers and exits decide. */
class StartupWaitTest {

    private static final Duration GENEROUS = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopFakes() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aServerThatLogsAlarmingLinesWhileStartingNormallyIsUpOnceItAnswers() throws Exception {
        Path ready = directory.resolve("ready");
        Process server = fake("""
                echo '2026-12-04 17:26:06.101 UTC [42] FATAL:  the database system is starting up'
                echo '2026-12-04 17:26:06.102 UTC [43] FATAL:  the database system is shutting down'
                echo 'pg_ctl: could not start server'
                sleep 1
                touch '%s'
                echo '2026-12-04 17:26:07.000 UTC [41] LOG:  database system is ready to accept connections'
                exec sleep 600
                """.formatted(ready));

        wait("fake PostgreSQL").untilAnswering(server, () -> answersWhen(ready));

        assertTrue(server.isAlive(), "the server runs on");
        assertTrue(Files.exists(ready), "returned only after the server answered");
    }

    @Test
    void aServerThatExitsFailsAtOnceWithItsExitCodeAndTheLastLinesOfItsLog() throws Exception {
        Process server = fake("""
                echo '2026-12-04 17:26:06.101 UTC [42] LOG:  could not bind IPv4 address "127.0.0.1": Address in use'
                echo '2026-12-04 17:26:06.102 UTC [42] FATAL:  could not create any TCP/IP sockets'
                exit 3
                """);
        long begin = System.nanoTime();

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> wait("fake PostgreSQL")
                .untilAnswering(server, () -> answersWhen(directory.resolve("never"))));

        assertTrue(error.getMessage().startsWith("fake PostgreSQL exited with code 3 before it answered"), error.getMessage());
        assertTrue(error.getMessage().contains("FATAL:  could not create any TCP/IP sockets"), error.getMessage());
        assertTrue(error.getMessage().contains("Last lines of " + log()), error.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - begin).compareTo(GENEROUS) < 0, "did not wait for the deadline");
    }

    @Test
    void aServerThatNeverAnswersFailsAtTheDeadlineWithTheLastAttemptsError() throws Exception {
        Process server = fake("""
                echo 'starting, slowly'
                exec sleep 600
                """);

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> new StartupWait("fake Kafka", Duration.ofSeconds(1), Duration.ofMillis(50), log())
                        .untilAnswering(server, () -> answersWhen(directory.resolve("never"))));

        assertTrue(error.getMessage().startsWith("fake Kafka did not answer within 1 s (last attempt: connection refused)"),
                error.getMessage());
        assertTrue(error.getMessage().contains("starting, slowly"), error.getMessage());
        assertTrue(server.isAlive(), "stopping it is the caller's business");
    }

    @Test
    void anInterruptEndsTheWaitAndKeepsTheFlag() throws Exception {
        Process server = fake("exec sleep 600\n");
        Thread.currentThread().interrupt();
        try {
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> wait("fake server")
                    .untilAnswering(server, () -> answersWhen(directory.resolve("never"))));
            assertTrue(error.getMessage().startsWith("Interrupted while waiting for fake server"), error.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void anExitAfterAFailedAttemptIsReportedAsTheExitNotAsTheRefusedConnection() throws Exception {
        Path attempted = directory.resolve("attempted");
        Process server = fake("""
                while [ ! -e '%s' ]; do sleep 0.05; done
                echo 'FATAL:  invalid value for parameter "shared_buffers": "plenty"'
                exit 1
                """.formatted(attempted));

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> wait("fake PostgreSQL")
                .untilAnswering(server, () -> {
                    Files.writeString(attempted, "x");
                    server.waitFor(); // the server dies while this attempt is under way
                    throw new ConnectException("connection refused");
                }));

        assertTrue(error.getMessage().startsWith("fake PostgreSQL exited with code 1"), error.getMessage());
        assertFalse(error.getMessage().contains("did not answer within"), error.getMessage());
    }

    private StartupWait wait(String component) {
        return new StartupWait(component, GENEROUS, Duration.ofMillis(50), log());
    }

    private Path log() {
        return directory.resolve("server.log");
    }

    private static void answersWhen(Path ready) throws ConnectException {
        if (!Files.exists(ready)) {
            throw new ConnectException("connection refused");
        }
    }

    private Process fake(String script) throws IOException {
        LocalFiles.startRunInLog(log(), "starting a fake server");
        Process process = new ProcessBuilder("/bin/sh", "-c", script)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .start();
        started.add(process);
        return process;
    }
}
