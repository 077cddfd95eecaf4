package io.keyfleet.launcher;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One service running as {@code java -jar <module>/target/quarkus-app/quarkus-run.jar} (prod profile) in a child
 * process, configured by its {@link ServiceEnvironment}, its output going to a log file. The one process launcher of
 * {@code ./keyfleet up}, the cli's suite tests and the benchmarks: start, wait for readiness, read the log, stop with
 * SIGTERM and, if it does not stop in time, SIGKILL.
 *
 * <p>Where {@code setsid} exists the child gets a session of its own, so a Ctrl-C in the terminal reaches only the
 * process that started it (which then stops the services in order), instead of every service at once.
 */
public final class ServiceProcess implements AutoCloseable {

    /** How long {@link #close()} gives the service to stop after SIGTERM before SIGKILL. */
    public static final Duration DEFAULT_STOP_GRACE_PERIOD = Duration.ofSeconds(20);

    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final int LOG_LINES_ON_FAILURE = 20;
    private static final Duration READINESS_POLL_INTERVAL = Duration.ofMillis(250);

    private final ServiceEnvironment environment;
    private final Path logFile;
    private final Process process;
    private final HealthProbe probe = new HealthProbe();
    private Thread killOnExit;
    private boolean stopRequested;
    private long stopRequestedNanos;
    /** When the process exited, once {@link #requestStop()} was called. */
    private CompletableFuture<Long> exitedNanos = new CompletableFuture<>();

    private ServiceProcess(ServiceEnvironment environment, Path logFile, Process process) {
        this.environment = environment;
        this.logFile = logFile;
        this.process = process;
    }

    /**
     * Starts the service; returns as soon as the process exists (see {@link #awaitReady} and {@link #isReady}).
     *
     * @param jar              the service's {@code quarkus-run.jar} ({@link KeyfleetService#runnableJar})
     * @param environment      added to this process's own environment
     * @param jvmOptions       placed before {@code -jar}
     * @param workingDirectory where the service runs (relative paths in its settings start there)
     * @param logFile          receives its standard output and error; overwritten
     */
    public static ServiceProcess launch(Path jar, ServiceEnvironment environment, List<String> jvmOptions,
                                        Path workingDirectory, Path logFile) {
        String name = environment.service().moduleName();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw -B -q package -DskipTests -pl " + name + " -am");
        }
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment.variables());
        try {
            return new ServiceProcess(environment, logFile, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name + " (" + String.join(" ", command) + ")", e);
        }
    }

    /** {@code -Xmx256m -XX:+UseSerialGC} as a list; blanks separate the options. */
    public static List<String> splitOptions(String options) {
        return Arrays.stream(options.trim().split("\\s+")).filter(option -> !option.isEmpty()).toList();
    }

    /**
     * Kills the service (SIGKILL) should this JVM end without stopping it, e.g. on Ctrl-C: for callers that do not
     * stop their services themselves on the way out.
     */
    public synchronized ServiceProcess killWhenThisJvmExits() {
        if (killOnExit == null) {
            killOnExit = new Thread(process::destroyForcibly, service() + "-kill-on-exit");
            Runtime.getRuntime().addShutdownHook(killOnExit);
        }
        return this;
    }

    public KeyfleetService service() {
        return environment.service();
    }

    public int port() {
        return environment.port();
    }

    /** Where it listens, e.g. {@code http://localhost:8081}. */
    public URI baseUrl() {
        return environment.baseUrl();
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Only meaningful once {@link #isAlive()} is false. */
    public int exitCode() {
        return process.exitValue();
    }

    /** One look: {@code /q/health/ready} answers 200. */
    public boolean isReady() {
        return probe.isReady(baseUrl());
    }

    /**
     * Returns once the service is ready.
     *
     * @throws IllegalStateException when it exits first or is not ready within {@code timeout}, with the last lines of
     *                               its log
     */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!isAlive()) {
                throw new IllegalStateException(service() + " exited with code " + exitCode() + " during start-up; "
                        + logExcerpt());
            }
            if (isReady()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(service() + " was not ready within " + timeout.toSeconds() + " s; " + logExcerpt());
            }
            try {
                Thread.sleep(READINESS_POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + service() + " to get ready");
            }
        }
    }

    /** {@code Last 20 lines of <log file>:} and those lines, JSON lines made readable ({@link LogTail}). */
    public String logExcerpt() {
        return "Last " + LOG_LINES_ON_FAILURE + " lines of " + logFile + ":" + System.lineSeparator()
                + LogTail.lastLines(logFile, LOG_LINES_ON_FAILURE);
    }

    /** The first match of {@code pattern} in what the service has logged so far. */
    public Optional<Matcher> logMatch(Pattern pattern) {
        try {
            Matcher matcher = pattern.matcher(Files.readString(logFile, StandardCharsets.UTF_8));
            return matcher.find() ? Optional.of(matcher) : Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** CPU time of the whole service process so far (all its threads: requests, background work, GC, JIT). */
    public long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
    }

    /**
     * Sends SIGTERM once (Quarkus shuts down gracefully) and returns at once; {@link #awaitStop} waits for the exit,
     * so several services can be stopped together.
     */
    public synchronized void requestStop() {
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
    public Duration awaitStop(long deadlineNanos, Duration gracePeriod) {
        requestStop();
        if (!waitForExit(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())))) {
            System.err.println(service() + " (pid " + pid() + ") did not stop within " + gracePeriod.toSeconds()
                    + " s; killing it");
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(10));
        }
        long exited = exitedNanos.getNow(System.nanoTime());
        return Duration.ofNanos(Math.max(0, exited - stopRequestedNanos));
    }

    /** SIGKILL at once, as a crash would end it; true once it has exited, within {@code timeout}. */
    public boolean kill(Duration timeout) {
        process.destroyForcibly();
        return waitForExit(timeout);
    }

    /** SIGTERM, and SIGKILL after {@link #DEFAULT_STOP_GRACE_PERIOD}; does nothing once the process has exited. */
    @Override
    public void close() {
        if (process.isAlive()) {
            awaitStop(System.nanoTime() + DEFAULT_STOP_GRACE_PERIOD.toNanos(), DEFAULT_STOP_GRACE_PERIOD);
        }
        synchronized (this) {
            if (killOnExit != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(killOnExit);
                } catch (IllegalStateException e) {
                    // already shutting down: the hook runs anyway
                }
            }
        }
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
