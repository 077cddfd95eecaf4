package io.keyfleet.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One service running as {@code java -jar <module>/target/quarkus-app/quarkus-run.jar} in a child process whose output
 * goes to its log file.
 *
 * <p>Where {@code setsid} exists the child gets a session of its own, so a Ctrl-C in the terminal reaches only the
 * supervisor, which then stops the services in order, instead of every service at once.
 */
final class ServiceProcess {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final KeyfleetService service;
    private final int port;
    private final Path logFile;
    private final Process process;
    private boolean stopRequested;
    private long stopRequestedNanos;
    /** When the process exited, once {@link #requestStop()} was called. */
    private CompletableFuture<Long> exitedNanos = new CompletableFuture<>();

    private ServiceProcess(KeyfleetService service, int port, Path logFile, Process process) {
        this.service = service;
        this.port = port;
        this.logFile = logFile;
        this.process = process;
    }

    /**
     * Starts the service; returns as soon as the process exists (readiness is the caller's business).
     *
     * @param environment added to this process's own environment
     */
    static ServiceProcess launch(KeyfleetService service, Path projectRoot, int port, Map<String, String> environment,
                                 List<String> jvmOptions, Path logFile) {
        Path jar = service.runnableJar(projectRoot);
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(projectRoot.resolve(service.moduleName()).toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        try {
            return new ServiceProcess(service, port, logFile, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + service + " (" + String.join(" ", command) + ")", e);
        }
    }

    KeyfleetService service() {
        return service;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return logFile;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Only meaningful once {@link #isAlive()} is false. */
    int exitCode() {
        return process.exitValue();
    }

    /**
     * Sends SIGTERM once (Quarkus shuts down gracefully) and returns at once; {@link #awaitStop} waits for the exit,
     * so several services can be stopped together.
     */
    synchronized void requestStop() {
        if (stopRequested) {
            return;
        }
        stopRequested = true;
        stopRequestedNanos = System.nanoTime();
        exitedNanos = process.onExit().thenApply(exited -> System.nanoTime());
        process.destroy();
    }

    /**
     * Waits until the process has exited or {@code deadlineNanos} ({@link System#nanoTime()}) has passed; then
     * SIGKILL, and up to 10 s more.
     *
     * @param gracePeriod only for the message when it has to be killed
     * @return how long the process took to exit after {@link #requestStop()}
     */
    Duration awaitStop(long deadlineNanos, Duration gracePeriod) {
        requestStop();
        if (!waitForExit(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())))) {
            System.err.println(service + " (pid " + pid() + ") did not stop within " + gracePeriod.toSeconds()
                    + " s; killing it");
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(10));
        }
        long exited = exitedNanos.getNow(System.nanoTime());
        return Duration.ofNanos(Math.max(0, exited - stopRequestedNanos));
    }

    private boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
