package io.keyfleet.cli;

import io.keyfleet.launcher.KeyfleetService;
import io.keyfleet.launcher.LocalSecrets;
import io.keyfleet.launcher.ServiceProcess;

import io.keyfleet.localstack.EmbeddedPostgresServer;
import io.keyfleet.localstack.KafkaBroker;
import io.keyfleet.localstack.LocalPorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Keyfleet suite on one machine: PostgreSQL and a Kafka broker from local-stack, then the chosen services as
 * {@code java -jar} processes. {@code ./keyfleet up} uses it with the default ports and {@code .keyfleet/} as the data
 * directory; tests use it with free ports and a temporary directory:
 *
 * <pre>{@code
 * try (RunningSuite suite = Suite.builder(projectRoot)
 *         .services(KeyfleetService.KEY_SERVICE, KeyfleetService.SIGNING_SERVICE)
 *         .anyFreePorts()
 *         .dataDirectory(tempDir)
 *         .build()
 *         .start()) {
 *     URI keys = suite.baseUrl(KeyfleetService.KEY_SERVICE);
 * }
 * }</pre>
 *
 * <p>{@link #start()} returns once every service reports ready on {@code /q/health/ready}; if a service exits or is
 * not ready in time, it stops everything it started and throws {@link SuiteStartException}. Interrupting the starting
 * thread cancels the start the same way.
 */
public final class Suite {

    /** Component name of the PostgreSQL server in listener calls, the run file and status output. */
    public static final String POSTGRES = "postgres";
    /** Component name of the Kafka broker. */
    public static final String KAFKA = "kafka";

    public static final int DEFAULT_POSTGRES_PORT = 5433;
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final Duration DEFAULT_READINESS_TIMEOUT = Duration.ofSeconds(120);
    /**
     * How long the services get to stop after SIGTERM before SIGKILL: a last resort, since a service normally stops in
     * about a second and bounds its own stop well below this (service-kit's shutdown settings).
     */
    public static final Duration DEFAULT_STOP_GRACE_PERIOD = Duration.ofSeconds(10);

    private static final Duration READINESS_POLL_INTERVAL = Duration.ofMillis(250);

    private final Path projectRoot;
    private final List<KeyfleetService> services;
    private final int postgresPort;
    private final int kafkaPort;
    private final Map<KeyfleetService, Integer> servicePorts;
    private final Path dataDirectory;
    private final Path logDirectory;
    private final Duration readinessTimeout;
    private final Duration stopGracePeriod;
    private final List<String> jvmOptions;
    private final SuiteListener listener;

    private Suite(Builder builder) {
        this.projectRoot = builder.projectRoot;
        this.services = List.copyOf(builder.services); // an EnumSet iterates in start order
        this.postgresPort = builder.postgresPort;
        this.kafkaPort = builder.kafkaPort;
        this.servicePorts = new EnumMap<>(builder.servicePorts);
        this.dataDirectory = builder.dataDirectory != null ? builder.dataDirectory : projectRoot.resolve(".keyfleet");
        this.logDirectory = builder.logDirectory != null ? builder.logDirectory : dataDirectory.resolve("logs");
        this.readinessTimeout = builder.readinessTimeout;
        this.stopGracePeriod = builder.stopGracePeriod;
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.listener = builder.listener;
    }

    /** @param projectRoot the Keyfleet checkout: the directory holding {@code mvnw} and the service modules */
    public static Builder builder(Path projectRoot) {
        return new Builder(projectRoot);
    }

    /**
     * Starts PostgreSQL (data in {@code <dataDirectory>/postgres}), creates the services' databases, starts Kafka
     * (data in {@code <dataDirectory>/kafka}), launches the services (logs in {@code <logDirectory>/<service>.log}) and
     * waits until all are ready.
     *
     * @throws SuiteStartException with a one-line reason, after stopping whatever had been started
     */
    public RunningSuite start() {
        long startNanos = System.nanoTime();
        requireBuilt();
        Map<String, Integer> ports = choosePorts();
        List<PlannedPort> planned = ports.entrySet().stream()
                .map(entry -> new PlannedPort(entry.getKey(), entry.getValue()))
                .collect(Collectors.toList());
        List<PlannedPort> taken = PortConflicts.taken(planned, LocalPorts::isFree);
        if (!taken.isEmpty()) {
            throw SuiteStartException.because(PortConflicts.describe(taken));
        }
        createDirectory(logDirectory);

        LocalSecrets.Values secrets = new LocalSecrets(dataDirectory).ensure(listener::notice);
        boolean adminKeyExisted = Files.exists(secrets.adminKeyFile());
        RunningSuite suite = new RunningSuite(services, servicePortsFrom(ports), secrets, stopGracePeriod, listener);
        try {
            startPostgres(suite, ports.get(POSTGRES), startNanos);
            startKafka(suite, ports.get(KAFKA), startNanos);
            for (KeyfleetService service : services) {
                requireNotCancelled();
                ServiceProcess process = ServiceProcess.launch(service.runnableJar(projectRoot),
                        suite.environment(service, suite.port(service)), jvmOptions, projectRoot.resolve(service.moduleName()),
                        logDirectory.resolve(service.moduleName() + ".log"));
                suite.serviceLaunched(process);
                listener.processStarted(service.moduleName(), process.pid(), process.port());
            }
            awaitReadiness(suite, startNanos);
            if (!adminKeyExisted && services.contains(KeyfleetService.KEY_SERVICE)) {
                LocalSecrets.adminApiKey(dataDirectory).ifPresent(key -> listener.notice("key-service made the admin credential. "
                        + "Its API key, shown this once (kept for ./keyfleet commands in " + secrets.adminKeyFile() + "):\n      " + key));
            }
            return suite;
        } catch (RuntimeException e) {
            SuiteStartException failure = asStartFailure(e);
            listener.startFailed(failure);
            suite.stop();
            throw failure;
        }
    }

    private static SuiteStartException asStartFailure(RuntimeException e) {
        if (e instanceof SuiteStartException) {
            return (SuiteStartException) e;
        }
        if (Thread.currentThread().isInterrupted()) {
            return SuiteStartException.cancelled();
        }
        return SuiteStartException.because(firstLine(e), e);
    }

    private void requireBuilt() {
        List<String> missing = services.stream()
                .filter(service -> !Files.isRegularFile(service.runnableJar(projectRoot)))
                .map(service -> projectRoot.relativize(service.runnableJar(projectRoot)).toString())
                .collect(Collectors.toList());
        if (!missing.isEmpty()) {
            throw SuiteStartException.because("not built: " + String.join(", ", missing)
                    + " missing; run ./mvnw -B -q -DskipTests install in " + projectRoot);
        }
    }

    /** Component name to port, in start order; configured zeros replaced by free ports, all distinct. */
    private Map<String, Integer> choosePorts() {
        Map<String, Integer> configured = new LinkedHashMap<>();
        configured.put(POSTGRES, postgresPort);
        configured.put(KAFKA, kafkaPort);
        services.forEach(service -> configured.put(service.moduleName(), servicePorts.get(service)));

        Set<Integer> inUse = new HashSet<>(configured.values());
        Map<String, Integer> chosen = new LinkedHashMap<>();
        configured.forEach((component, port) -> chosen.put(component, port != 0 ? port : freePortOtherThan(inUse)));
        return chosen;
    }

    /** A free port not in {@code inUse}, which it is then added to. */
    private static int freePortOtherThan(Set<Integer> inUse) {
        int port;
        do {
            port = LocalPorts.findFree();
        } while (!inUse.add(port));
        return port;
    }

    private Map<KeyfleetService, Integer> servicePortsFrom(Map<String, Integer> ports) {
        Map<KeyfleetService, Integer> result = new EnumMap<>(KeyfleetService.class);
        services.forEach(service -> result.put(service, ports.get(service.moduleName())));
        return result;
    }

    private void startPostgres(RunningSuite suite, int port, long startNanos) {
        Path directory = dataDirectory.resolve(POSTGRES);
        EmbeddedPostgresServer postgres;
        try {
            postgres = EmbeddedPostgresServer.start(directory, port);
        } catch (RuntimeException e) {
            throw startFailure("PostgreSQL", e);
        }
        suite.postgresStarted(postgres, directory);
        listener.processStarted(POSTGRES, suite.processIds().getOrDefault(POSTGRES, -1L), port);
        for (KeyfleetService service : services) {
            postgres.createDatabase(service.databaseName());
        }
        listener.componentReady(POSTGRES, since(startNanos));
        requireNotCancelled();
    }

    private void startKafka(RunningSuite suite, int port, long startNanos) {
        Path directory = dataDirectory.resolve(KAFKA);
        Set<Long> childrenBefore = childProcessIds();
        KafkaBroker kafka;
        try {
            kafka = KafkaBroker.start(directory, port);
        } catch (RuntimeException e) {
            throw startFailure("Kafka", e);
        }
        // local-stack runs the broker in a child JVM but does not say which: it is the child that is new
        Optional<Long> brokerPid = ProcessHandle.current().children()
                .filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid)
                .filter(pid -> !childrenBefore.contains(pid))
                .findFirst();
        suite.kafkaStarted(kafka, brokerPid);
        listener.processStarted(KAFKA, suite.processIds().getOrDefault(KAFKA, -1L), port);
        listener.componentReady(KAFKA, since(startNanos));
        requireNotCancelled();
    }

    private static Set<Long> childProcessIds() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** local-stack's messages are one line of reason followed by the log's last lines. */
    private static SuiteStartException startFailure(String component, RuntimeException e) {
        if (Thread.currentThread().isInterrupted()) {
            return SuiteStartException.cancelled();
        }
        String message = String.valueOf(e.getMessage());
        int lineEnd = message.indexOf('\n');
        if (lineEnd < 0) {
            return SuiteStartException.because(component + " did not start: " + message, e);
        }
        return SuiteStartException.withLog(component + " did not start: " + message.substring(0, lineEnd).strip(),
                message.substring(lineEnd + 1).stripTrailing());
    }

    private void awaitReadiness(RunningSuite suite, long startNanos) {
        long deadline = System.nanoTime() + readinessTimeout.toNanos();
        List<KeyfleetService> pending = new ArrayList<>(services);
        while (!pending.isEmpty()) {
            for (KeyfleetService service : List.copyOf(pending)) {
                ServiceProcess process = suite.process(service);
                if (!process.isAlive()) {
                    throw SuiteStartException.withLog(service + " exited with code " + process.exitCode()
                            + " during start-up", process.logExcerpt());
                }
                if (process.isReady()) {
                    pending.remove(service);
                    listener.componentReady(service.moduleName(), since(startNanos));
                }
            }
            if (!pending.isEmpty() && System.nanoTime() > deadline) {
                String names = pending.stream().map(KeyfleetService::moduleName).collect(Collectors.joining(", "));
                throw SuiteStartException.withLog(names + (pending.size() == 1 ? " was" : " were")
                                + " not ready within " + readinessTimeout.toSeconds() + " s (timeout)",
                        suite.process(pending.get(0)).logExcerpt());
            }
            if (!pending.isEmpty()) {
                sleep(READINESS_POLL_INTERVAL);
            }
        }
    }

    private static void requireNotCancelled() {
        if (Thread.currentThread().isInterrupted()) {
            throw SuiteStartException.cancelled();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SuiteStartException.cancelled();
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static String firstLine(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int lineEnd = message.indexOf('\n');
        return lineEnd < 0 ? message : message.substring(0, lineEnd).strip();
    }

    private static void createDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + directory, e);
        }
    }

    public Path projectRoot() {
        return projectRoot;
    }

    /** The chosen services in start order. */
    public List<KeyfleetService> services() {
        return services;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The admin API key key-service made on the first start with this data directory, once it has. */
    public Optional<String> adminApiKey() {
        return LocalSecrets.adminApiKey(dataDirectory);
    }

    public Path logDirectory() {
        return logDirectory;
    }

    public Path logFile(KeyfleetService service) {
        return logDirectory.resolve(service.moduleName() + ".log");
    }

    public Duration readinessTimeout() {
        return readinessTimeout;
    }

    /** The configured port of a component (0: a free one is chosen at start), or empty if it is not part of this suite. */
    public Optional<Integer> configuredPort(String component) {
        if (POSTGRES.equals(component)) {
            return Optional.of(postgresPort);
        }
        if (KAFKA.equals(component)) {
            return Optional.of(kafkaPort);
        }
        return KeyfleetService.byModuleName(component).filter(services::contains).map(servicePorts::get);
    }

    /** The configuration of a {@link Suite}; every setting has a default that matches {@code ./keyfleet up}. */
    public static final class Builder {

        private final Path projectRoot;
        private final Set<KeyfleetService> services = EnumSet.allOf(KeyfleetService.class);
        private final Map<KeyfleetService, Integer> servicePorts = new EnumMap<>(KeyfleetService.class);
        private int postgresPort = DEFAULT_POSTGRES_PORT;
        private int kafkaPort = DEFAULT_KAFKA_PORT;
        private Path dataDirectory;
        private Path logDirectory;
        private Duration readinessTimeout = DEFAULT_READINESS_TIMEOUT;
        private Duration stopGracePeriod = DEFAULT_STOP_GRACE_PERIOD;
        private List<String> jvmOptions = List.of();
        private SuiteListener listener = SuiteListener.SILENT;

        private Builder(Path projectRoot) {
            this.projectRoot = projectRoot.toAbsolutePath().normalize();
            for (KeyfleetService service : KeyfleetService.values()) {
                servicePorts.put(service, service.defaultPort());
            }
        }

        /** Which services to start (default: all five). They start in {@link KeyfleetService} order whatever is given. */
        public Builder services(KeyfleetService... chosen) {
            return services(List.of(chosen));
        }

        public Builder services(Collection<KeyfleetService> chosen) {
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("choose at least one service");
            }
            services.clear();
            services.addAll(chosen);
            return this;
        }

        /** The HTTP port of a service (default: its usual port, 8081 for key-service, ...); 0 picks a free one. */
        public Builder port(KeyfleetService service, int port) {
            servicePorts.put(service, requireValidPort(port));
            return this;
        }

        /** Default 5433; 0 picks a free one. */
        public Builder postgresPort(int port) {
            postgresPort = requireValidPort(port);
            return this;
        }

        /** Default 9092; 0 picks a free one. */
        public Builder kafkaPort(int port) {
            kafkaPort = requireValidPort(port);
            return this;
        }

        /** Every component on a port that is free when {@link Suite#start()} runs: what tests want. */
        public Builder anyFreePorts() {
            postgresPort = 0;
            kafkaPort = 0;
            servicePorts.replaceAll((service, port) -> 0);
            return this;
        }

        /**
         * Where PostgreSQL and Kafka keep their data ({@code postgres/}, {@code kafka/}) and, unless
         * {@link #logDirectory(Path)} says otherwise, where the service logs go ({@code logs/}). Kept between runs.
         * Default: {@code <projectRoot>/.keyfleet}.
         */
        public Builder dataDirectory(Path directory) {
            dataDirectory = directory.toAbsolutePath().normalize();
            return this;
        }

        /** Default: {@code <dataDirectory>/logs}. Each start overwrites {@code <service>.log}. */
        public Builder logDirectory(Path directory) {
            logDirectory = directory.toAbsolutePath().normalize();
            return this;
        }

        /** How long the services may take to become ready, counted from their launch (default 120 s). */
        public Builder readinessTimeout(Duration timeout) {
            readinessTimeout = requirePositive(timeout, "readiness timeout");
            return this;
        }

        /** How long the services may take to stop after SIGTERM before they are killed (default 10 s). */
        public Builder stopGracePeriod(Duration gracePeriod) {
            stopGracePeriod = requirePositive(gracePeriod, "stop grace period");
            return this;
        }

        /** Options for every service JVM, placed before {@code -jar} (default: none). */
        public Builder jvmOptions(List<String> options) {
            jvmOptions = List.copyOf(options);
            return this;
        }

        public Builder listener(SuiteListener progressListener) {
            listener = progressListener;
            return this;
        }

        public Suite build() {
            Map<Integer, String> owners = new LinkedHashMap<>();
            requireDistinct(owners, postgresPort, POSTGRES);
            requireDistinct(owners, kafkaPort, KAFKA);
            services.forEach(service -> requireDistinct(owners, servicePorts.get(service), service.moduleName()));
            return new Suite(this);
        }

        private static void requireDistinct(Map<Integer, String> owners, int port, String component) {
            if (port == 0) {
                return;
            }
            String previous = owners.putIfAbsent(port, component);
            if (previous != null) {
                throw new IllegalArgumentException("port " + port + " is configured for both " + previous + " and "
                        + component);
            }
        }

        private static int requireValidPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
            return port;
        }

        private static Duration requirePositive(Duration duration, String what) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + duration);
            }
            return duration;
        }
    }
}
