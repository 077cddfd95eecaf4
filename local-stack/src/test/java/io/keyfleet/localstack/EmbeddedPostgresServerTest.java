package io.keyfleet.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void failsFastNamingThePortWhenItIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> EmbeddedPostgresServer.start(null, taken.getLocalPort()));
            assertTrue(error.getMessage().contains("port " + taken.getLocalPort()), error.getMessage());
        }
    }

    @Test
    void reportsTheLastLinesOfItsLogWhenPostgresDoesNotStart(@TempDir Path dataDir) throws Exception {
        Path pgData = Files.createDirectories(dataDir.resolve("pgdata"));
        Files.writeString(pgData.resolve("postgresql.conf"), "shared_buffers = plenty\n");

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> EmbeddedPostgresServer.start(dataDir, 0));

        assertTrue(error.getMessage().contains("PostgreSQL did not start"), error.getMessage());
        assertTrue(error.getMessage().contains("Last lines of " + dataDir.resolve("postgres.log")), error.getMessage());
        assertTrue(error.getMessage().contains("pg_ctl"), error.getMessage());
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
