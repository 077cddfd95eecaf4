package io.keyfleet.cli;

import io.keyfleet.launcher.KeyfleetService;
import io.keyfleet.launcher.LocalSecrets;
import io.keyfleet.launcher.ServiceEnvironment;
import io.keyfleet.launcher.ServiceProcess;

import io.keyfleet.localstack.EmbeddedPostgresServer;
import io.keyfleet.localstack.KafkaBroker;
import io.keyfleet.localstack.LocalPorts;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A started {@link Suite}: where each component listens, which process it is, and {@link #stop()}. Closing it stops it.
 */
public final class RunningSuite implements AutoCloseable {

    private static final Duration PORT_RELEASE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PROCESS_EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration EXIT_POLL_INTERVAL = Duration.ofMillis(20);

    private final List<KeyfleetService> services;
    private final Map<KeyfleetService, Integer> servicePorts;
    private final LocalSecrets.Values secrets;
    private final Duration stopGracePeriod;
    private final SuiteListener listener;
    private final Map<KeyfleetService, ServiceProcess> processes = new EnumMap<>(KeyfleetService.class);
    private EmbeddedPostgresServer postgres;
    private Long postgresPid;
    private KafkaBroker kafka;
    private Long kafkaPid;
    private boolean stopped;

    RunningSuite(List<KeyfleetService> services, Map<KeyfleetService, Integer> servicePorts, LocalSecrets.Values secrets,
                 Duration stopGracePeriod, SuiteListener listener) {
        this.services = List.copyOf(services);
        this.servicePorts = new EnumMap<>(servicePorts);
        this.secrets = secrets;
        this.stopGracePeriod = stopGracePeriod;
        this.listener = listener;
    }

    synchronized void postgresStarted(EmbeddedPostgresServer server, Path directory) {
        postgres = server;
        postgresPid = server.pid();
    }

    synchronized void kafkaStarted(KafkaBroker broker, Optional<Long> brokerPid) {
        kafka = broker;
        kafkaPid = brokerPid.orElse(null);
    }

    synchronized void serviceLaunched(ServiceProcess process) {
        processes.put(process.service(), process);
    }

    /** The suite's broker, for tests that take it away and bring it back. */
    synchronized KafkaBroker kafkaBroker() {
        return requireKafka();
    }

    ServiceProcess process(KeyfleetService service) {
        return processes.get(service);
    }

    /**
     * What the suite gives {@code service} listening on {@code port}: its own database, the broker, where the suite's
     * other services are, the local secrets and the API documents. A second process of a service (a replica, in
     * tests) gets the same on a port of its own.
     */
    ServiceEnvironment environment(KeyfleetService service, int port) {
        ServiceEnvironment environment = ServiceEnvironment.of(service, port)
                .apiDocs()
                .database(jdbcUrl(service), databaseUser(), databasePassword())
                .kafka(kafkaBootstrapServers())
                .secrets(secrets);
        services.forEach(other -> environment.peer(other, baseUrl(other)));
        return environment;
    }

    /** The started services in start order. */
    public List<KeyfleetService> services() {
        return services;
    }

    public int port(KeyfleetService service) {
        Integer port = servicePorts.get(service);
        if (port == null) {
            throw new IllegalArgumentException(service + " is not part of this suite; it runs " + services);
        }
        return port;
    }

    /** {@code http://localhost:<port>} */
    public URI baseUrl(KeyfleetService service) {
        return URI.create("http://localhost:" + port(service));
    }

    /** {@code http://localhost:<port>/q/swagger-ui} */
    public URI swaggerUiUrl(KeyfleetService service) {
        return baseUrl(service).resolve(ComponentTable.SWAGGER_UI_PATH);
    }

    /** The JDBC URL of the service's own database, e.g. {@code jdbc:postgresql://localhost:5433/key_service}. */
    public String jdbcUrl(KeyfleetService service) {
        return jdbcUrl(service.databaseName());
    }

    public String jdbcUrl(String database) {
        return requirePostgres().jdbcUrl(database);
    }

    public String databaseUser() {
        return requirePostgres().username();
    }

    public String databasePassword() {
        return requirePostgres().password();
    }

    public int postgresPort() {
        return requirePostgres().port();
    }

    public int kafkaPort() {
        return requireKafka().port();
    }

    /** {@code 127.0.0.1:<port>} */
    public String kafkaBootstrapServers() {
        return requireKafka().bootstrapServers();
    }

    public Path logFile(KeyfleetService service) {
        ServiceProcess process = processes.get(service);
        if (process == null) {
            throw new IllegalArgumentException(service + " has not been launched");
        }
        return process.logFile();
    }

    /** Component name to port, in start order: {@code postgres}, {@code kafka}, then the services. */
    public synchronized Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        if (postgres != null) {
            ports.put(Suite.POSTGRES, postgres.port());
        }
        if (kafka != null) {
            ports.put(Suite.KAFKA, kafka.port());
        }
        processes.values().forEach(process -> ports.put(process.service().moduleName(), process.port()));
        return Collections.unmodifiableMap(ports);
    }

    /**
     * Component name to process id, in start order. PostgreSQL's is the postmaster's; Kafka's the broker's JVM. A
     * component whose process could not be identified is left out.
     */
    public synchronized Map<String, Long> processIds() {
        Map<String, Long> pids = new LinkedHashMap<>();
        if (postgresPid != null) {
            pids.put(Suite.POSTGRES, postgresPid);
        }
        if (kafkaPid != null) {
            pids.put(Suite.KAFKA, kafkaPid);
        }
        processes.values().forEach(process -> pids.put(process.service().moduleName(), process.pid()));
        return Collections.unmodifiableMap(pids);
    }

    /** Components whose process has ended although {@link #stop()} has not been called (a crash, a kill). */
    public synchronized List<String> componentsNotRunning() {
        List<String> gone = new ArrayList<>();
        if (stopped) {
            return gone;
        }
        if (postgresPid != null && !isAlive(postgresPid)) {
            gone.add(Suite.POSTGRES);
        }
        if (kafka != null && !kafka.isRunning()) {
            gone.add(Suite.KAFKA);
        }
        processes.values().stream()
                .filter(process -> !process.isAlive())
                .forEach(process -> gone.add(process.service().moduleName()));
        return gone;
    }

    /** The exit code of a service whose process has ended, or empty while it runs. */
    public Optional<Integer> exitCode(KeyfleetService service) {
        ServiceProcess process = processes.get(service);
        return process == null || process.isAlive() ? Optional.empty() : Optional.of(process.exitCode());
    }

    public synchronized boolean isStopped() {
        return stopped;
    }

    /**
     * Stops everything: the services together (SIGTERM to all, then SIGKILL to any still running when the grace period
     * is over), then Kafka and PostgreSQL together, and returns once their ports are free (or after 10 s more per
     * port). Safe to call more than once.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        boolean wasInterrupted = Thread.interrupted(); // waiting for the processes must work even after a cancel
        Map<String, Integer> ports = ports();
        try {
            List<ServiceProcess> launched = new ArrayList<>(processes.values());
            Collections.reverse(launched);
            // all services at once: none of them needs another to stop, and each stops in about a second
            launched.forEach(ServiceProcess::requestStop);
            long deadline = System.nanoTime() + stopGracePeriod.toNanos();
            for (ServiceProcess process : launched) {
                Duration took = process.awaitStop(deadline, stopGracePeriod);
                listener.componentStopped(process.service().moduleName(), took);
            }
            // then Kafka and PostgreSQL together: with the services gone nothing uses either, and neither needs the other
            AtomicReference<Duration> kafkaTook = new AtomicReference<>();
            Thread kafkaStop = null;
            if (kafka != null) {
                KafkaBroker broker = kafka;
                kafkaStop = new Thread(() -> {
                    long begin = System.nanoTime();
                    broker.stop();
                    kafkaTook.set(since(begin));
                }, "keyfleet-kafka-stop");
                kafkaStop.start();
            }
            Duration postgresTook = null;
            if (postgres != null) {
                long begin = System.nanoTime();
                postgres.stop();
                awaitExit(Suite.POSTGRES, postgresPid);
                postgresTook = since(begin);
            }
            if (kafkaStop != null) {
                joinUninterruptibly(kafkaStop); // KafkaBroker.stop() kills the broker if it does not stop in time
                listener.componentStopped(Suite.KAFKA, kafkaTook.get() != null ? kafkaTook.get() : Duration.ZERO);
            }
            if (postgresTook != null) {
                listener.componentStopped(Suite.POSTGRES, postgresTook);
            }
            ports.forEach((component, port) -> {
                if (!LocalPorts.awaitFree(port, PORT_RELEASE_TIMEOUT)) {
                    System.err.println("port " + port + " (" + component + ") is still in use after stopping it");
                }
            });
        } finally {
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private EmbeddedPostgresServer requirePostgres() {
        if (postgres == null) {
            throw new IllegalStateException("PostgreSQL has not been started");
        }
        return postgres;
    }

    private KafkaBroker requireKafka() {
        if (kafka == null) {
            throw new IllegalStateException("Kafka has not been started");
        }
        return kafka;
    }

    private static void awaitExit(String component, Long pid) {
        if (pid == null) {
            return;
        }
        if (!awaitExit(pid, PROCESS_EXIT_TIMEOUT)) {
            System.err.println(component + " (pid " + pid + ") is still running " + PROCESS_EXIT_TIMEOUT.toSeconds()
                    + " s after it was stopped");
        }
    }

    /**
     * Polls every 20 ms: for a process that is not our child (the postmaster, the supervisor) the JDK's
     * {@code ProcessHandle.onExit()} only looks every 300 ms and more, which added a second or two to every stop.
     *
     * @return true once the process is gone, false if it still runs after {@code timeout}
     */
    static boolean awaitExit(long pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isAlive(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(EXIT_POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isAlive(pid);
            }
        }
        return true;
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether the process still runs. One that has exited but waits for its parent to collect its exit status (a zombie) has released everything and counts as stopped;
     * {@link ProcessHandle#isAlive()} says true until init gets round to it, which took seconds on some machines.
     */
    static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !isZombie(pid);
    }

    /** Linux: the state letter after the command name in {@code /proc/<pid>/stat}; false where there is no /proc. */
    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            int nameEnd = stat.lastIndexOf(')');
            return nameEnd > 0 && stat.length() > nameEnd + 2 && stat.charAt(nameEnd + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
