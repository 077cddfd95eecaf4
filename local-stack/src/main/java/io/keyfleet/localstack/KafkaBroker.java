package io.keyfleet.localstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Uuid;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one process), running in a child JVM
 * so that it can be stopped and started again mid-test and its Scala classpath never meets the caller's.
 *
 * <p>The child's classpath is read from the resource {@code kafka-broker.classpath}, written at build time by
 * {@code maven-dependency-plugin:build-classpath}, so it does not depend on how the caller was started (surefire,
 * a {@code @QuarkusTest} class loader, or {@code java -cp} of a plain jar).
 *
 * <p>Directory layout: {@code <dataDir>/kraft-logs} holds the formatted log directory (topics and metadata),
 * {@code <dataDir>/server.properties} the configuration of the current run and {@code <dataDir>/broker.log} the
 * broker's output. A given data directory is kept and reused by later runs; without one a temporary directory is used
 * and deleted when the JVM exits. The broker is stopped when the JVM exits, and the child exits on its own if the
 * parent JVM is killed (see {@link KafkaBrokerMain}).
 *
 * <p>{@link #start} starts it open: PLAINTEXT, no authentication. {@link #startSecured} starts it the way production
 * runs Kafka: SASL_SSL with SCRAM-SHA-512 users, TLS, and ACLs that let each service use only its own topics (see
 * {@link KafkaSecurity}; its files are in {@code <dataDir>/security}); {@link #clientConfig} gives a user's client
 * settings.
 */
public final class KafkaBroker {

    /** Names the broker on its child JVM's command line, before the long class path: {@code -Dkeyfleet.kafka.port=<port>}. */
    public static final String COMMAND_LINE_MARKER = "-Dkeyfleet.kafka.port";
    /** The super user of a secured broker, for test harnesses; the other users are named after the services. */
    public static final String ADMIN_USER = KafkaSecurity.ADMIN;

    private static final System.Logger LOG = System.getLogger(KafkaBroker.class.getName());
    private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration GRACEFUL_STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FORCED_STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PORT_RELEASE_TIMEOUT = Duration.ofSeconds(10);
    private static final int NODE_ID = 1;
    private static final int LOG_LINES_IN_ERRORS = 40;
    private static final List<String> JVM_OPTIONS = List.of("-Xms128m", "-Xmx512m", "-Djava.awt.headless=true",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager");

    private final Path baseDirectory;
    private final boolean temporary;
    private final int port;
    private final Path kraftLogDirectory;
    private final Path configFile;
    private final Path logFile;
    private final Thread shutdownHook;
    /** Null for an open broker. */
    private final KafkaSecurity security;
    private Process process;

    private KafkaBroker(Path baseDirectory, boolean temporary, int port, KafkaSecurity security) {
        this.baseDirectory = baseDirectory;
        this.temporary = temporary;
        this.port = port;
        this.security = security;
        this.kraftLogDirectory = baseDirectory.resolve("kraft-logs");
        this.configFile = baseDirectory.resolve("server.properties");
        this.logFile = baseDirectory.resolve("broker.log");
        this.shutdownHook = new Thread(this::stopAndCleanUp, "keyfleet-kafka-stop-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a broker and waits until it answers.
     *
     * @param dataDirOrNull where topics live across runs, or null for a temporary directory deleted when the JVM exits
     * @param port          the client port on localhost, or 0 to pick a free one; {@link #start()} reuses it
     * @throws IllegalStateException if the port is taken, or the broker exits or does not answer within 120 s (the
     *                               message has the last lines of its log)
     */
    public static KafkaBroker start(Path dataDirOrNull, int port) {
        return start(dataDirOrNull, port, false);
    }

    /**
     * Starts a secured broker (SASL_SSL, SCRAM-SHA-512, ACLs) and waits until it answers its admin user and has the
     * Keyfleet topics and ACLs. Its certificate and users are made on the first start of a data directory and kept.
     *
     * @param dataDirOrNull where topics live across runs, or null for a temporary directory deleted when the JVM exits;
     *                      a directory that an open broker formatted cannot be secured
     * @param port          the client port on localhost, or 0 to pick a free one; {@link #start()} reuses it
     * @throws IllegalStateException as {@link #start(Path, int)} does
     */
    public static KafkaBroker startSecured(Path dataDirOrNull, int port) {
        return start(dataDirOrNull, port, true);
    }

    private static KafkaBroker start(Path dataDirOrNull, int port, boolean secured) {
        LocalPorts.requireValidPort(port);
        if (port != 0) {
            LocalPorts.requireFree(port, "Kafka broker");
        }
        boolean temporary = dataDirOrNull == null;
        Path baseDirectory = temporary
                ? LocalFiles.createTempDirectory("keyfleet-kafka-")
                : LocalFiles.createDirectories(dataDirOrNull.toAbsolutePath());
        KafkaSecurity security = secured ? prepareSecurity(baseDirectory) : null;
        KafkaBroker broker = new KafkaBroker(baseDirectory, temporary, port == 0 ? LocalPorts.findFree() : port, security);
        try {
            broker.start();
        } catch (RuntimeException e) {
            broker.discard();
            throw e;
        }
        return broker;
    }

    /**
     * Starts this broker again after {@link #stop()}: same port, same data directory, so clients configured with
     * {@link #bootstrapServers()} reconnect and find their topics.
     *
     * @throws IllegalStateException if it is running already, the port is taken, or it does not come up
     */
    public synchronized void start() {
        if (isRunning()) {
            throw new IllegalStateException("Kafka broker on port " + port + " is already running");
        }
        LocalPorts.requireFree(port, "Kafka broker");
        int controllerPort = LocalPorts.findFreeOtherThan(port);
        writeConfig(controllerPort);
        String classpath = childClasspath();
        LocalFiles.startRunInLog(logFile, "starting Kafka broker on port " + port + " (controller port "
                + controllerPort + ")");
        if (!isFormatted()) {
            formatStorage(classpath);
        }
        process = launch(classpath, List.of(KafkaBrokerMain.class.getName(), configFile.toString()));
        try {
            awaitAnswer(process);
        } catch (RuntimeException e) {
            stopProcess();
            throw e;
        }
        LOG.log(Level.INFO, "Kafka broker is up on " + bootstrapServers() + " (data: " + kraftLogDirectory + ")");
    }

    private static KafkaSecurity prepareSecurity(Path baseDirectory) {
        Path securityDirectory = baseDirectory.resolve("security");
        if (Files.exists(baseDirectory.resolve("kraft-logs").resolve("meta.properties"))
                && !KafkaSecurity.isPrepared(securityDirectory)) {
            throw new IllegalStateException("The Kafka data directory " + baseDirectory + " was formatted for an open"
                    + " broker, which has no users: start a secured broker on a new data directory");
        }
        return KafkaSecurity.prepare(securityDirectory, baseDirectory.resolve("broker.log"));
    }

    /** Stops and starts the broker on the same port and data directory. */
    public synchronized void restart() {
        stop();
        start();
    }

    /**
     * Stops the broker: a graceful shutdown first, then a forced one after 10 s; returns once the port is free.
     * Safe to call when it is already stopped.
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        stopProcess();
        if (!LocalPorts.awaitFree(port, PORT_RELEASE_TIMEOUT)) {
            LOG.log(Level.WARNING, "Kafka broker stopped but port " + port + " is still in use after "
                    + PORT_RELEASE_TIMEOUT.toSeconds() + " s");
        }
        LOG.log(Level.INFO, "Kafka broker on " + bootstrapServers() + " stopped");
    }

    /** {@code 127.0.0.1:<port>}; stays the same across {@link #stop()} and {@link #start()}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public boolean isSecured() {
        return security != null;
    }

    /**
     * The client settings of a secured broker's user besides {@code bootstrap.servers}: {@code security.protocol},
     * {@code sasl.mechanism}, {@code sasl.jaas.config} (with the password) and {@code ssl.truststore.*}.
     *
     * @param user {@link #ADMIN_USER} or a service's name
     * @throws IllegalStateException    if the broker is open
     * @throws IllegalArgumentException if there is no such user
     */
    public Map<String, String> clientConfig(String user) {
        if (security == null) {
            throw new IllegalStateException("The Kafka broker on " + bootstrapServers() + " is open: it has no users");
        }
        return security.clientConfig(user);
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The process id of the broker's child JVM while it runs. */
    public synchronized Optional<Long> pid() {
        return isRunning() ? Optional.of(process.pid()) : Optional.empty();
    }

    /** The broker's output (all runs on this data directory, each starting with a {@code === keyfleet:} line). */
    public Path logFile() {
        return logFile;
    }

    private void stopProcess() {
        Process stopping = process;
        process = null;
        if (stopping == null) {
            return;
        }
        if (stopping.isAlive()) {
            stopping.destroy(); // SIGTERM: Kafka's shutdown hook does a controlled shutdown
            if (!waitFor(stopping, GRACEFUL_STOP_TIMEOUT)) {
                LOG.log(Level.WARNING, "Kafka broker on port " + port + " did not stop within "
                        + GRACEFUL_STOP_TIMEOUT.toSeconds() + " s; killing it");
                stopping.destroyForcibly();
                if (!waitFor(stopping, FORCED_STOP_TIMEOUT)) {
                    LOG.log(Level.WARNING, "Kafka broker process " + stopping.pid() + " is still alive after kill");
                }
            }
        }
        closeQuietly(stopping.getOutputStream());
    }

    /** The shutdown hook: stop, and delete a temporary data directory (it is kept until now for restarts). */
    private synchronized void stopAndCleanUp() {
        stop();
        if (temporary) {
            LocalFiles.deleteRecursively(baseDirectory);
        }
    }

    /** After a failed first start: nothing to stop at exit, and a temporary directory can go now. */
    private void discard() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook cleans up
        }
        if (temporary) {
            LocalFiles.deleteRecursively(baseDirectory);
        }
    }

    private void writeConfig(int controllerPort) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", String.valueOf(NODE_ID));
        config.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        config.put("controller.listener.names", "CONTROLLER");
        if (security == null) {
            config.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            config.put("inter.broker.listener.name", "PLAINTEXT");
        } else {
            config.putAll(security.brokerConfig(port, controllerPort));
        }
        config.put("log.dirs", kraftLogDirectory.toString());
        config.put("auto.create.topics.enable", "true");
        config.put("num.partitions", "3");
        config.put("default.replication.factor", "1");
        config.put("min.insync.replicas", "1");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "5");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "5");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        String header = "# written by keyfleet local-stack KafkaBroker on every start" + System.lineSeparator();
        String text = config.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(System.lineSeparator(), header, System.lineSeparator()));
        writeOwnerOnly(configFile, text); // a secured broker's has passwords in it
    }

    private static void writeOwnerOnly(Path file, String text) {
        try {
            Files.deleteIfExists(file);
            Files.writeString(KafkaSecurity.ownerOnlyFile(file), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    private boolean isFormatted() {
        return Files.isRegularFile(kraftLogDirectory.resolve("meta.properties"));
    }

    private void formatStorage(String classpath) {
        List<String> arguments = new ArrayList<>(List.of("kafka.tools.StorageTool",
                "format", "--cluster-id", Uuid.randomUuid().toString(), "--config", configFile.toString()));
        if (security != null) {
            arguments.addAll(security.formatArguments());
        }
        // the main class and its arguments from a file only this user can read: SCRAM passwords stay off the command line
        Path argumentFile = baseDirectory.resolve("format.args");
        writeOwnerOnly(argumentFile, arguments.stream()
                .map(argument -> "\"" + argument.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(System.lineSeparator(), "", System.lineSeparator())));
        Process format = launch(classpath, List.of("@" + argumentFile));
        boolean finished = waitFor(format, FORMAT_TIMEOUT);
        closeQuietly(format.getOutputStream());
        try {
            Files.deleteIfExists(argumentFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + argumentFile, e);
        }
        if (!finished) {
            format.destroyForcibly();
            throw failure("Formatting the Kafka log directory " + kraftLogDirectory + " did not finish within "
                    + FORMAT_TIMEOUT.toSeconds() + " s", null);
        }
        if (format.exitValue() != 0) {
            throw failure("Formatting the Kafka log directory " + kraftLogDirectory + " failed with exit code "
                    + format.exitValue(), null);
        }
    }

    /** Starts a JVM on the classpath with the main class and its arguments (or an {@code @argument-file} of them). */
    private Process launch(String classpath, List<String> mainClassAndArguments) {
        List<String> command = new ArrayList<>();
        // its own session: a Ctrl-C in the terminal reaches only the caller, which stops the broker last, in order
        // (setsid execs in place for a non-leader child, so the pid stays the broker's)
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.add(javaExecutable());
        command.addAll(JVM_OPTIONS);
        command.add(COMMAND_LINE_MARKER + "=" + port);
        command.add("-cp");
        command.add(classpath);
        command.addAll(mainClassAndArguments);
        try {
            // standard input stays a pipe from this JVM: KafkaBrokerMain exits when it closes
            return new ProcessBuilder(command)
                    .directory(baseDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command.get(0) + " for " + mainClassAndArguments.get(0), e);
        }
    }

    /**
     * Returns once the broker answers a metadata request with the cluster id this data directory was formatted with
     * (so another broker that happens to answer on the port is never taken for this one).
     */
    private void awaitAnswer(Process broker) {
        String clusterId = formattedClusterId();
        StartupWait wait = new StartupWait("Kafka broker on " + bootstrapServers() + " (data: " + baseDirectory + ")",
                STARTUP_TIMEOUT, Duration.ofMillis(200), logFile);
        // the Admin client only once the port accepts: until then it would log a warning on every reconnect
        wait.untilAnswering(broker, () -> {
            if (!LocalPorts.isAccepting(port)) {
                throw new IllegalStateException("nothing listens on " + bootstrapServers() + " yet");
            }
        });
        Properties adminConfig = new Properties();
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        adminConfig.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "keyfleet-local-stack-readiness");
        if (security != null) {
            adminConfig.putAll(security.clientConfig(ADMIN_USER));
        }
        // Kafka clients load their plugin classes through the context class loader; make it the one that loaded
        // kafka-clients for this class, or a caller's loader (e.g. Quarkus's) yields ClassCastExceptions
        Thread thread = Thread.currentThread();
        ClassLoader callerContextLoader = thread.getContextClassLoader();
        thread.setContextClassLoader(Admin.class.getClassLoader());
        try (Admin admin = Admin.create(adminConfig)) {
            wait.untilAnswering(broker, () -> {
                DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000));
                String answeringCluster = cluster.clusterId().get(10, TimeUnit.SECONDS);
                if (!clusterId.equals(answeringCluster)) {
                    throw new IllegalStateException("the broker on " + bootstrapServers() + " belongs to cluster "
                            + answeringCluster + ", not " + clusterId);
                }
                if (cluster.nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                    throw new IllegalStateException("the broker answered with no nodes yet");
                }
            });
            if (security != null) {
                wait.untilAnswering(broker, () -> security.provision(admin));
            }
        } finally {
            thread.setContextClassLoader(callerContextLoader);
        }
    }

    /** {@code cluster.id} from {@code kraft-logs/meta.properties}, written when the log directory was formatted. */
    private String formattedClusterId() {
        Path metaProperties = kraftLogDirectory.resolve("meta.properties");
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(metaProperties)) {
            meta.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + metaProperties, e);
        }
        String clusterId = meta.getProperty("cluster.id");
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalStateException(metaProperties + " names no cluster.id");
        }
        return clusterId;
    }

    private IllegalStateException failure(String what, Exception cause) {
        return new IllegalStateException(what + " (data: " + baseDirectory + "). Last lines of " + logFile + ":"
                + System.lineSeparator() + LocalFiles.lastLinesOfCurrentRun(logFile, LOG_LINES_IN_ERRORS), cause);
    }

    /**
     * This module's own classes (for {@link KafkaBrokerMain}) followed by the broker's jars, listed at build time.
     */
    private static String childClasspath() {
        List<String> entries = new ArrayList<>();
        entries.add(ownCodeLocation().toString());
        String listed;
        try (InputStream resource = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (resource == null) {
                throw new IllegalStateException("Resource io/keyfleet/localstack/" + CLASSPATH_RESOURCE + " is missing:"
                        + " it is written by the Maven build of local-stack (./mvnw -pl local-stack install)");
            }
            listed = new String(resource.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + CLASSPATH_RESOURCE, e);
        }
        for (String entry : listed.split(Pattern.quote(File.pathSeparator))) {
            if (!Files.exists(Path.of(entry))) {
                throw new IllegalStateException("Kafka broker jar " + entry + " (listed in " + CLASSPATH_RESOURCE
                        + " at build time) does not exist; rebuild local-stack: ./mvnw -pl local-stack install");
            }
            entries.add(entry);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static Path ownCodeLocation() {
        try {
            return Path.of(KafkaBrokerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("Cannot tell where the local-stack classes were loaded from, so the Kafka"
                    + " broker's child JVM cannot be given them", e);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // the child is gone; nothing to do
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + ", " + baseDirectory + "]";
    }
}
