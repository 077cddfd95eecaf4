package io.keyfleet.sandbox.admin;

import io.keyfleet.sandbox.support.SandboxClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Error scenarios in the sandbox's database. Each gateway call takes at most one: the app's own before global ones,
 * oldest first; a counted one loses one count per call under a row lock, so N concurrent calls spend exactly N counts.
 * Durations run on the sandbox clock.
 */
@ApplicationScoped
public class Scenarios {

    private static final String COLUMNS = "id, kind, app_id, remaining, active_until, delay_millis, http_status, created_at, applied";

    @Inject
    DataSource dataSource;

    @Inject
    SandboxClock clock;

    @Transactional
    public Scenario create(ScenarioKind kind, String appId, Integer count, Duration duration, Long delayMillis, Integer httpStatus) {
        Instant now = clock.now();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     insert into scenario (kind, app_id, remaining, active_until, delay_millis, http_status, created_at)
                     values (?, ?, ?, ?, ?, ?, ?) returning\s""" + COLUMNS)) {
            insert.setString(1, kind.name());
            insert.setString(2, appId);
            setInteger(insert, 3, count);
            insert.setTimestamp(4, duration == null ? null : Timestamp.from(now.plus(duration)));
            if (delayMillis == null) {
                insert.setNull(5, Types.BIGINT);
            } else {
                insert.setLong(5, delayMillis);
            }
            setInteger(insert, 6, httpStatus);
            insert.setTimestamp(7, Timestamp.from(now));
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return read(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes the scenario that applies to this call, spending one count; empty when the gateway should behave. */
    @Transactional
    public Optional<Scenario> take(String appId, boolean refresh) {
        Instant now = clock.now();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement take = connection.prepareStatement("""
                     update scenario set remaining = remaining - 1, applied = applied + 1
                     where id = (select id from scenario
                                 where (app_id = ? or app_id is null)
                                   and (remaining is null or remaining > 0)
                                   and (active_until is null or active_until > ?)
                                   and (? or kind <> 'REFRESH_TOKEN_EXPIRED')
                                 order by (app_id is null), id
                                 limit 1
                                 for update)
                     returning\s""" + COLUMNS)) {
            take.setString(1, appId);
            take.setTimestamp(2, Timestamp.from(now));
            take.setBoolean(3, refresh);
            try (ResultSet row = take.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Scenario> list() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select " + COLUMNS + " from scenario order by id");
             ResultSet rows = select.executeQuery()) {
            List<Scenario> scenarios = new ArrayList<>();
            while (rows.next()) {
                scenarios.add(read(rows));
            }
            return scenarios;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Transactional
    public boolean delete(long id) {
        return execute("delete from scenario where id = ?", id) > 0;
    }

    @Transactional
    public int deleteAll() {
        return execute("delete from scenario");
    }

    private int execute(String sql, Object... params) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Scenario read(ResultSet row) throws SQLException {
        Timestamp until = row.getTimestamp(5);
        return new Scenario(row.getLong(1), ScenarioKind.valueOf(row.getString(2)), row.getString(3), (Integer) row.getObject(4),
                until == null ? null : until.toInstant(), (Long) row.getObject(6), (Integer) row.getObject(7),
                row.getTimestamp(8).toInstant(), row.getInt(9));
    }

    private static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }
}
