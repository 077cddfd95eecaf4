package io.keyfleet.localstack;

import org.postgresql.Driver;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server on localhost, run from zonky's binaries artifact ({@link PostgresBinaries}) as a child
 * process of this JVM. The superuser {@code postgres} logs in with a password of this data directory (SCRAM-SHA-256),
 * made at random with it and kept owner-only in {@code <dataDir>/superuser.password}: no other local user can connect.
 *
 * <p>{@link #start} runs {@code initdb} for a new data directory, then {@code postgres} itself, and returns once a
 * real connection runs a query and the server names this data directory as its own ({@link StartupWait}): it fails
 * when the process exits first or the start-up timeout passes, never because of what the server logs.
 *
 * <p>Directory layout: {@code <dataDir>/pgdata} is the PostgreSQL data directory, {@code <dataDir>/postgres.log} the
 * server log (all runs, each starting with a {@code === keyfleet:} line), {@code <dataDir>/postgres.lock} is locked by
 * the JVM that runs the server. A data directory made by an older version, whose server trusted every local connection,
 * gets a password and password authentication on its next start. A given data directory is kept and reused by later runs; without one a temporary
 * directory is used and deleted by {@link #stop()}. The server is stopped when the JVM exits if nobody called
 * {@link #stop()} before.
 */
public final class EmbeddedPostgresServer {

    private static final System.Logger LOG = System.getLogger(EmbeddedPostgresServer.class.getName());
    /** A PostgreSQL identifier that needs no quoting: at most 63 lower-case letters, digits and underscores. */
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String SUPERUSER = "postgres";
    private static final String PASSWORD_FILE = "superuser.password";
    private static final int PASSWORD_LENGTH = 32;
    private static final String PASSWORD_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DUPLICATE_DATABASE = "42P04";
    private static final Duration INITDB_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STARTUP_POLL_INTERVAL = Duration.ofMillis(100);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int CONNECT_TIMEOUT_SECONDS = 5;
    /** Server settings of every run (as {@code -c name=value}); fsync is off as well ({@code -F}): data is disposable. */
    private static final List<String> SETTINGS = List.of("listen_addresses=localhost", "unix_socket_directories=",
            "timezone=UTC", "synchronous_commit=off", "max_connections=300");

    private final Process process;
    private final int port;
    private final String password;
    private final Path baseDirectory;
    private final Path pgData;
    private final boolean temporary;
    private final Path logFile;
    private final DirectoryLock lock;
    private final Thread shutdownHook;
    private boolean stopped;

    private EmbeddedPostgresServer(Process process, int port, String password, Path baseDirectory, Path pgData,
                                   boolean temporary, Path logFile, DirectoryLock lock) {
        this.process = process;
        this.port = port;
        this.password = password;
        this.baseDirectory = baseDirectory;
        this.pgData = pgData;
        this.temporary = temporary;
        this.logFile = logFile;
        this.lock = lock;
        this.shutdownHook = new Thread(this::stop, "keyfleet-postgres-stop-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts PostgreSQL and returns once it answers queries.
     *
     * @param dataDirOrNull where the data lives across runs, or null for a temporary directory deleted on stop
     * @param port          the port on localhost, or 0 to pick a free one
     * @throws IllegalStateException if the port is taken, the data directory is in use by another running server, or
     *                               the server exits or does not answer within 120 s (the message has the log's tail)
     */
    public static EmbeddedPostgresServer start(Path dataDirOrNull, int port) {
        LocalPorts.requireValidPort(port);
        boolean temporary = dataDirOrNull == null;
        Path baseDirectory = temporary
                ? LocalFiles.createTempDirectory("keyfleet-postgres-")
                : LocalFiles.createDirectories(dataDirOrNull.toAbsolutePath());
        Path pgData = baseDirectory.resolve("pgdata");
        Path logFile = baseDirectory.resolve("postgres.log");
        DirectoryLock lock = null;
        try {
            lock = DirectoryLock.take(baseDirectory.resolve("postgres.lock"), pgData);
            stopOrphanedServer(pgData);
            int chosenPort = port == 0 ? LocalPorts.findFree() : port;
            LocalPorts.requireFree(chosenPort, "PostgreSQL");
            LocalFiles.startRunInLog(logFile, "starting PostgreSQL on port " + chosenPort);
            Path passwordFile = baseDirectory.resolve(PASSWORD_FILE);
            if (!Files.isRegularFile(pgData.resolve("PG_VERSION"))) {
                writePassword(passwordFile);
                initdb(pgData, logFile, passwordFile);
            }
            // no password file beside an existing cluster: an older version made it, trusting every local connection
            boolean trusting = !Files.isRegularFile(passwordFile);
            String password = trusting ? writePassword(passwordFile) : readPassword(passwordFile);
            Process process = launch(pgData, chosenPort, logFile);
            try {
                new StartupWait("PostgreSQL on port " + chosenPort + " with data directory " + pgData, STARTUP_TIMEOUT,
                        STARTUP_POLL_INTERVAL, logFile).untilAnswering(process, () -> requireServing(chosenPort, pgData, password));
                if (trusting) {
                    requirePasswords(chosenPort, pgData, password);
                }
            } catch (RuntimeException e) {
                stopProcess(process, pgData);
                throw e;
            }
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(process, chosenPort, password, baseDirectory, pgData,
                    temporary, logFile, lock);
            LOG.log(Level.INFO, "PostgreSQL is up on localhost:" + chosenPort + " (data: " + pgData + ")");
            return server;
        } catch (RuntimeException e) {
            if (lock != null) {
                lock.release();
            }
            if (temporary) {
                LocalFiles.deleteRecursively(baseDirectory);
            }
            throw e;
        }
    }

    /**
     * Creates the cluster in a directory beside {@code pgData} and moves it into place when initdb succeeded, so a
     * data directory is either complete or absent, never half-made by an interrupted run.
     */
    private static void initdb(Path pgData, Path logFile, Path passwordFile) {
        Path staging = pgData.resolveSibling(pgData.getFileName() + ".initdb");
        LocalFiles.deleteRecursively(staging);
        LocalFiles.deleteRecursively(pgData); // a data directory without PG_VERSION holds no data
        Process initdb = run(PostgresBinaries.command("initdb", "-A", "scram-sha-256", "-U", SUPERUSER,
                "--pwfile=" + passwordFile, "-D", staging.toString(), "-E", "UTF-8", "--no-sync"), logFile);
        boolean finished;
        try {
            finished = initdb.waitFor(INITDB_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            initdb.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while initdb created " + pgData, e);
        }
        if (!finished) {
            initdb.destroyForcibly();
        }
        if (!finished || initdb.exitValue() != 0) {
            LocalFiles.deleteRecursively(staging);
            throw new IllegalStateException("initdb could not create the PostgreSQL data directory " + pgData
                    + (finished ? " (exit code " + initdb.exitValue() + ")" : " within " + INITDB_TIMEOUT.toSeconds() + " s")
                    + ". Last lines of " + logFile + ":" + System.lineSeparator()
                    + LocalFiles.lastLinesOfCurrentRun(logFile, 30));
        }
        try {
            Files.move(staging, pgData);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not move the new data directory " + staging + " to " + pgData, e);
        }
    }

    private static Process launch(Path pgData, int port, Path logFile) {
        List<String> command = new ArrayList<>();
        // its own session: a Ctrl-C in the terminal reaches only the caller, which stops the server last, in order
        // (setsid execs in place for a non-leader child, so the pid is the postmaster's)
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        List<String> arguments = new ArrayList<>(List.of("-D", pgData.toString(), "-p", String.valueOf(port), "-F"));
        SETTINGS.forEach(setting -> arguments.addAll(List.of("-c", setting)));
        command.addAll(PostgresBinaries.command("postgres", arguments.toArray(String[]::new)));
        return run(command, logFile);
    }

    private static Process run(List<String> command, Path logFile) {
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + command.get(0), e);
        }
    }

    /**
     * One real connection and query; the server must name {@code pgData} as its data directory, so another server
     * that happens to answer on the port is never taken for this one.
     */
    private static void requireServing(int port, Path pgData, String password) throws SQLException {
        try (Connection connection = connect(port, "postgres", password);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW data_directory")) {
            String dataDirectory = rows.next() ? rows.getString(1) : null;
            if (!pgData.toString().equals(dataDirectory)) {
                throw new IllegalStateException("the server on port " + port + " serves " + dataDirectory
                        + ", not " + pgData);
            }
        }
    }

    /**
     * Gives the superuser of a cluster that trusted every local connection the password, then makes the server ask for
     * it (every {@code trust} of pg_hba.conf becomes {@code scram-sha-256}) and reloads its configuration.
     */
    private static void requirePasswords(int port, Path pgData, String password) {
        Path hba = pgData.resolve("pg_hba.conf");
        try (Connection connection = connect(port, "postgres", password);
             Statement statement = connection.createStatement()) {
            // the password is base62 (writePassword), so it needs no escaping inside the literal
            statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(hba, StandardCharsets.UTF_8)) {
                lines.add(line.startsWith("#") ? line : line.replaceAll("\\btrust\\s*$", "scram-sha-256"));
            }
            Files.write(hba, lines, StandardCharsets.UTF_8);
            statement.execute("SELECT pg_reload_conf()");
            LOG.log(Level.INFO, "PostgreSQL on " + pgData + " now asks for the superuser's password (kept in "
                    + PASSWORD_FILE + " beside it)");
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("Could not make PostgreSQL on " + pgData + " ask for a password: " + e.getMessage(), e);
        }
    }

    /** A new random superuser password in an owner-only file; returned. */
    private static String writePassword(Path file) {
        StringBuilder password = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            password.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
        }
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the PostgreSQL superuser password to " + file, e);
        }
        return password.toString();
    }

    private static String readPassword(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the PostgreSQL superuser password from " + file, e);
        }
    }

    private static Connection connect(int port, String database, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", SUPERUSER);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("socketTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS * 6));
        properties.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        // the driver class directly: DriverManager may not see it from a caller's class loader (Quarkus tests)
        Connection connection = new Driver().connect("jdbc:postgresql://localhost:" + port + "/" + database, properties);
        if (connection == null) {
            throw new SQLException("The PostgreSQL driver did not accept jdbc:postgresql://localhost:" + port);
        }
        return connection;
    }

    /**
     * Fast shutdown ({@code pg_ctl stop -m fast}: open sessions are ended), then immediate, then SIGKILL; returns once
     * the process is gone or all three failed.
     */
    private static void stopProcess(Process process, Path pgData) {
        for (String mode : List.of("fast", "immediate")) {
            if (!process.isAlive()) {
                return;
            }
            runQuietly(PostgresBinaries.command("pg_ctl", "stop", "-D", pgData.toString(),
                    "-m", mode, "-s", "-w", "-t", String.valueOf(STOP_TIMEOUT.toSeconds())));
            if (waitFor(process.toHandle(), STOP_TIMEOUT)) {
                return;
            }
        }
        process.destroyForcibly();
        if (!waitFor(process.toHandle(), STOP_TIMEOUT)) {
            LOG.log(Level.WARNING, "PostgreSQL (pid " + process.pid() + ") is still running after SIGKILL");
        }
    }

    /** Runs a short command, waits for it (30 s at most), ignores its outcome: the caller checks what it wanted. */
    private static void runQuietly(List<String> command) {
        try {
            Process running = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!waitFor(running.toHandle(), STOP_TIMEOUT.plusSeconds(5))) {
                running.destroyForcibly();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not run " + command.get(0) + ": " + e.getMessage());
        }
    }

    private static boolean waitFor(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        } catch (Exception e) {
            return !process.isAlive();
        }
    }

    /**
     * A server left running by a JVM that died without stopping it (kill -9) still owns the data directory; PostgreSQL
     * would refuse to start a second one. The caller holds the directory's lock, so no live JVM runs that server: stop it.
     */
    private static void stopOrphanedServer(Path pgData) {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        Optional<ProcessHandle> postmaster = readPostmasterPid(pidFile).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(command -> command.endsWith("/postgres")).orElse(false));
        if (postmaster.isEmpty()) {
            return; // a stale pid file from a crash: PostgreSQL itself handles that
        }
        LOG.log(Level.WARNING, "Stopping PostgreSQL (pid " + postmaster.get().pid() + ") left running on " + pgData
                + " by an earlier run");
        runQuietly(PostgresBinaries.command("pg_ctl", "stop", "-D", pgData.toString(),
                "-m", "fast", "-s", "-w", "-t", String.valueOf(ORPHAN_STOP_TIMEOUT.toSeconds())));
        if (!waitFor(postmaster.get(), ORPHAN_STOP_TIMEOUT)) {
            postmaster.get().destroyForcibly();
            if (!waitFor(postmaster.get(), ORPHAN_STOP_TIMEOUT)) {
                throw new IllegalStateException("PostgreSQL (pid " + postmaster.get().pid() + ") left running on "
                        + pgData + " by an earlier run did not stop; stop it by hand");
            }
        }
    }

    private static Optional<Long> readPostmasterPid(Path pidFile) {
        try {
            String firstLine = Files.readAllLines(pidFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
            return Optional.of(Long.parseLong(firstLine));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** An exclusive lock on a file beside the data directory, held by the JVM that runs its server. */
    private static final class DirectoryLock {

        private final FileChannel channel;
        private final FileLock lock;

        private DirectoryLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        static DirectoryLock take(Path lockFile, Path pgData) {
            FileChannel channel = null;
            try {
                channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return new DirectoryLock(channel, lock);
                }
            } catch (OverlappingFileLockException e) {
                // held by this JVM: in use all the same
            } catch (IOException e) {
                closeQuietly(channel);
                throw new UncheckedIOException("Could not lock " + lockFile, e);
            }
            closeQuietly(channel);
            throw new IllegalStateException("PostgreSQL data directory " + pgData + " is in use by another running"
                    + " process (it holds " + lockFile + ")");
        }

        void release() {
            try {
                lock.release();
            } catch (IOException e) {
                // the channel is closed next anyway
            }
            closeQuietly(channel);
        }

        private static void closeQuietly(FileChannel channel) {
            if (channel == null) {
                return;
            }
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    /** Creates the database unless it exists already. Names must match {@code [a-z_][a-z0-9_]*}, 63 characters at most. */
    public synchronized void createDatabase(String name) {
        requireValidDatabaseName(name);
        requireRunning();
        try (Connection connection = connect(port, "postgres", password)) {
            if (databaseExists(connection, name)) {
                return;
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
                LOG.log(Level.INFO, "Created database " + name + " on localhost:" + port());
            } catch (SQLException e) {
                if (!DUPLICATE_DATABASE.equals(e.getSQLState())) { // created by someone else in between: fine
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name + " on localhost:" + port()
                    + ": " + e.getMessage(), e);
        }
    }

    private static boolean databaseExists(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** {@code jdbc:postgresql://localhost:<port>/<database>} */
    public String jdbcUrl(String database) {
        requireValidDatabaseName(database);
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** The superuser, {@code postgres}. */
    public String username() {
        return SUPERUSER;
    }

    /** The superuser's password, made at random with the data directory (see the class comment). */
    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /** The postmaster's process id. */
    public long pid() {
        return process.pid();
    }

    /** The server log (initdb, pg_ctl and the server's own output). */
    public Path logFile() {
        return logFile;
    }

    /** Stops the server (fast shutdown) and deletes the directory if it was temporary. Safe to call more than once. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        stopProcess(process, pgData);
        lock.release();
        removeShutdownHook();
        if (temporary) {
            LocalFiles.deleteRecursively(baseDirectory);
        }
        LOG.log(Level.INFO, "PostgreSQL on localhost:" + port() + " stopped");
    }

    private void removeShutdownHook() {
        if (Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running or about to
        }
    }

    private void requireRunning() {
        if (stopped) {
            throw new IllegalStateException("PostgreSQL on port " + port() + " has been stopped");
        }
    }

    private static void requireValidDatabaseName(String name) {
        if (name == null || !DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid database name '" + name + "': use at most 63 lower-case letters,"
                    + " digits and underscores, not starting with a digit ([a-z_][a-z0-9_]*)");
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgresServer[localhost:" + port() + ", " + baseDirectory + "]";
    }
}
