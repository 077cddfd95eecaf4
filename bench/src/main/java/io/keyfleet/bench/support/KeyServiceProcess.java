package io.keyfleet.bench.support;

import io.keyfleet.localstack.LocalPorts;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * key-service as {@code java -jar key-service/target/quarkus-app/quarkus-run.jar} (prod profile) in a child process
 * on a free loopback port, with the environment a deployment gives it (as {@code ./keyfleet up} does, see the cli's
 * {@code Suite}): the run's PostgreSQL and Kafka, a master-key file, the internal token, the audit HMAC key and the key
 * pool size. Output goes to a log file in the run's temporary directory.
 */
public final class KeyServiceProcess implements AutoCloseable {

    private static final Pattern PROVIDER_LINE = Pattern.compile("RSA key generation uses ([^;\"]+); RSA-2048 pool size (\\d+)");

    private final Process process;
    private final URI baseUrl;
    private final Path logFile;
    private final Thread killOnExit;

    private KeyServiceProcess(Process process, URI baseUrl, Path logFile) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.logFile = logFile;
        // if this JVM ends without close() (Ctrl-C), the service must not outlive it
        this.killOnExit = new Thread(process::destroyForcibly, "key-service-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Launches the service; returns at once (see {@link #awaitReady}).
     *
     * @param environment added to this JVM's environment (database, Kafka, secrets, pool size)
     */
    public static KeyServiceProcess launch(Path jar, List<String> jvmOptions, Map<String, String> environment, Path logFile) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw -B -o -q install -DskipTests -pl key-service -am"
                    + " (bench/run builds it when it is missing)");
        }
        int port = LocalPorts.findFree();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(logFile.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1"); // loopback only
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        try {
            return new KeyServiceProcess(builder.start(), URI.create("http://127.0.0.1:" + port), logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start key-service: " + String.join(" ", command), e);
        }
    }

    /** Returns once the service answers ready on /q/health/ready; throws if it exits or is not ready within {@code timeout}. */
    public void awaitReady(Duration timeout, HttpClient http) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(baseUrl.resolve("/q/health/ready")).timeout(Duration.ofSeconds(5)).GET().build();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("key-service exited with code " + process.exitValue() + " during start-up; "
                        + logTail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for key-service");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("key-service was not ready within " + timeout.toSeconds() + " s; " + logTail());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for key-service");
            }
        }
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public long pid() {
        return process.pid();
    }

    /** CPU time of the whole service process so far (all its threads: requests, pool refill, relay, GC, JIT). */
    public long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
    }

    /** What key-service logged at start-up about its RSA provider and pool, e.g. "AmazonCorrettoCryptoProvider, pool 16". */
    public Optional<String> providerLine() {
        try {
            Matcher matcher = PROVIDER_LINE.matcher(Files.readString(logFile, StandardCharsets.UTF_8));
            return matcher.find() ? Optional.of(matcher.group(1) + ", pool " + matcher.group(2)) : Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return "last lines of " + logFile + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "no log (" + logFile + ")";
        }
    }

    /**
     * SIGTERM (Quarkus shuts down gracefully), SIGKILL after 20 s. Its CPU time then counts in this JVM's reaped
     * children (see CpuMonitor).
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }

    public static List<String> splitOptions(String options) {
        return Arrays.stream(options.trim().split("\\s+")).filter(option -> !option.isEmpty()).toList();
    }
}
