package io.keyfleet.bench.outbox;

import io.keyfleet.kit.outbox.OutboxRelay;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Holds the outbox relay's advisory lock from a separate connection, as another replica's relay would: while held,
 * the relay publishes nothing (it wakes, fails to take the lock, and waits), so commits can be measured without the
 * relay and the consumer competing for the machine. Closing it releases the lock and the backlog drains.
 */
final class RelayHold implements AutoCloseable {

    private final Connection connection;

    private RelayHold(Connection connection) {
        this.connection = connection;
    }

    /** Waits for the relay's current batch, if any, to finish, then holds the lock until {@link #close()}. */
    static RelayHold take(String jdbcUrl, String user, String password) throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, OutboxRelay.RELAY_LOCK);
                lock.execute();
            }
            return new RelayHold(connection);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.rollback(); // ends the transaction, releasing the transaction-level lock
        } finally {
            connection.close();
        }
    }
}
