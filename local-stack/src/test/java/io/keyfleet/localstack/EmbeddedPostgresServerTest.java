package io.keyfleet.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedPostgresServerTest {

    @Test
    void createsDatabasesThatAcceptJdbcConnections() throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(null, 0);
        try {
            server.createDatabase("key_service");
            server.createDatabase("token_service");
            server.createDatabase("key_service"); // idempotent

            assertEquals("key_service", queryString(server, "key_service", "SELECT current_database()"));
            assertEquals("token_service", queryString(server, "token_service", "SELECT current_database()"));
            assertTrue(queryString(server, "key_service", "SHOW server_version").startsWith("17."));
            assertEquals("jdbc:postgresql://localhost:" + server.port() + "/key_service", server.jdbcUrl("key_service"));
        } finally {
            server.stop();
            server.stop(); // safe twice
        }
        assertTrue(LocalPorts.isFree(server.port()));
        assertFalse(Files.exists(server.logFile().getParent()), "temporary directory is deleted on stop");
    }

    @Test
    void keepsDataInAGivenDirectoryAcrossRuns(@TempDir Path dataDir) throws Exception {
        EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dataDir, 0);
        try {
            first.createDatabase("sync_service");
            execute(first, "sync_service", "CREATE TABLE pool (name text)", "INSERT INTO pool VALUES ('upstream-a')");
        } finally {
            first.stop();
        }

        EmbeddedPostgresServer second = EmbeddedPostgresServer.start(dataDir, 0);
        try {
            assertEquals("upstream-a", queryString(second, "sync_service", "SELECT name FROM pool"));
        } finally {
            second.stop();
        }
        assertTrue(Files.isDirectory(dataDir.resolve("pgdata")), "a given data directory is kept");
    }

    @Test
    void theSuperuserLogsInWithThePasswordOfItsDataDirectoryOnly(@TempDir Path dataDir) throws Exception {
        EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dataDir, 0);
        String password = first.password();
        try {
            assertTrue(password.matches("[0-9A-Za-z]{32}"), "a random password");
            assertEquals("postgres", queryString(first, "postgres", "SELECT current_database()"));
            assertRefused(first, "postgres");
            assertRefused(first, password + "x");
            Path file = dataDir.resolve("superuser.password");
            assertEquals(password, Files.readString(file).strip());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        } finally {
            first.stop();
        }
        EmbeddedPostgresServer second = EmbeddedPostgresServer.start(dataDir, 0);
        try {
            assertEquals(password, second.password(), "the same password on the next start");
            assertEquals("postgres", queryString(second, "postgres", "SELECT current_database()"));
        } finally {
            second.stop();
        }
    }

    @Test
    void aDataDirectoryThatTrustedEveryLocalConnectionGetsAPassword(@TempDir Path dataDir) throws Exception {
        // what versions before the password made: initdb -A trust, no password file
        Process initdb = new ProcessBuilder(PostgresBinaries.command("initdb", "-A", "trust", "-U", "postgres",
                "-D", dataDir.resolve("pgdata").toString(), "-E", "UTF-8", "--no-sync"))
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("initdb.log").toFile()).start();
        assertTrue(initdb.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) && initdb.exitValue() == 0,
                Files.readString(dataDir.resolve("initdb.log")));

        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0);
        try {
            assertEquals("postgres", queryString(server, "postgres", "SELECT current_database()"));
            assertRefused(server, "postgres");
            assertEquals(server.password(), Files.readString(dataDir.resolve("superuser.password")).strip());
        } finally {
            server.stop();
        }
    }

    private static void assertRefused(EmbeddedPostgresServer server, String password) {
        SQLException refused = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(server.jdbcUrl("postgres"), server.username(), password).close());
        assertEquals("28P01", refused.getSQLState(), refused.getMessage());
    }

    @Test
    void failsFastNamingThePortWhenItIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> EmbeddedPostgresServer.start(null, taken.getLocalPort()));
            assertTrue(error.getMessage().contains("port " + taken.getLocalPort()), error.getMessage());
        }
    }

    @Test
    void reportsTheExitAndTheLastLinesOfItsLogWhenPostgresDoesNotStart(@TempDir Path dataDir) throws Exception {
        EmbeddedPostgresServer.start(dataDir, 0).stop();
        Files.writeString(dataDir.resolve("pgdata").resolve("postgresql.conf"), "shared_buffers = plenty\n",
                StandardOpenOption.APPEND);

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> EmbeddedPostgresServer.start(dataDir, 0));

        assertTrue(error.getMessage().startsWith("PostgreSQL on port "), error.getMessage());
        assertTrue(error.getMessage().contains("exited with code"), error.getMessage());
        assertTrue(error.getMessage().contains("Last lines of " + dataDir.resolve("postgres.log")), error.getMessage());
        assertTrue(error.getMessage().contains("shared_buffers"), error.getMessage());
        assertFalse(error.getMessage().contains("database system was shut down"), "only this run's lines: " + error.getMessage());
    }

    @Test
    void refusesADataDirectoryThatARunningServerUses(@TempDir Path dataDir) {
        EmbeddedPostgresServer running = EmbeddedPostgresServer.start(dataDir, 0);
        try {
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> EmbeddedPostgresServer.start(dataDir, 0));
            assertTrue(error.getMessage().contains("is in use by another running process"), error.getMessage());
            assertTrue(LocalPorts.isAccepting(running.port()), "the running server is left alone");
        } finally {
            running.stop();
        }
    }

    @Test
    void startsAfreshOnADataDirectoryThatAnInterruptedInitdbLeftIncomplete(@TempDir Path dataDir) throws Exception {
        Files.createDirectories(dataDir.resolve("pgdata").resolve("base"));
        Files.writeString(dataDir.resolve("pgdata").resolve("postgresql.conf"), "# half made\n");

        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0);
        try {
            server.createDatabase("token_service");
            assertEquals("token_service", queryString(server, "token_service", "SELECT current_database()"));
        } finally {
            server.stop();
        }
    }

    @Test
    void stopsAServerThatAKilledJvmLeftOnItsDataDirectory(@TempDir Path dataDir) throws Exception {
        Path pidFile = dataDir.resolve("orphan.pid");
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StartAndHang.class.getName(), dataDir.toString(),
                pidFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("orphan-jvm.log").toFile())
                .start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!Files.exists(pidFile) && jvm.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(pidFile), "the other JVM started PostgreSQL: "
                    + Files.readString(dataDir.resolve("orphan-jvm.log")));
        } finally {
            jvm.destroyForcibly(); // kill -9: no shutdown hook runs, PostgreSQL (its own session) stays
            jvm.waitFor();
        }
        ProcessHandle orphan = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).orElseThrow();
        assertTrue(orphan.isAlive(), "PostgreSQL outlived the killed JVM");

        EmbeddedPostgresServer second = EmbeddedPostgresServer.start(dataDir, 0);
        try {
            assertFalse(orphan.isAlive(), "the orphan was stopped before the new server started");
            assertEquals("postgres", queryString(second, "postgres", "SELECT current_database()"));
        } finally {
            second.stop();
        }
    }

    /** Runs in a child JVM: starts PostgreSQL on a data directory, writes the postmaster's pid, waits to be killed. */
    public static final class StartAndHang {
        public static void main(String[] args) throws Exception {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), 0);
            Files.writeString(Path.of(args[1] + ".tmp"), String.valueOf(server.pid()));
            Files.move(Path.of(args[1] + ".tmp"), Path.of(args[1]));
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void rejectsInvalidDatabaseNames() {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(null, 0);
        try {
            assertThrows(IllegalArgumentException.class, () -> server.createDatabase("Key-Service"));
            assertThrows(IllegalArgumentException.class, () -> server.createDatabase("1db"));
            assertThrows(IllegalArgumentException.class, () -> server.createDatabase("x; DROP DATABASE postgres"));
            assertThrows(IllegalArgumentException.class, () -> server.jdbcUrl(null));
        } finally {
            server.stop();
        }
    }

    private static String queryString(EmbeddedPostgresServer server, String database, String sql) throws SQLException {
        try (Connection connection = connect(server, database);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            assertTrue(rows.next(), "no row for " + sql);
            return rows.getString(1);
        }
    }

    private static void execute(EmbeddedPostgresServer server, String database, String... sql) throws SQLException {
        try (Connection connection = connect(server, database); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    private static Connection connect(EmbeddedPostgresServer server, String database) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(database), server.username(), server.password());
    }
}
