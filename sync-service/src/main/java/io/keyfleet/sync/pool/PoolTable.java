package io.keyfleet.sync.pool;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The pool table, in plain JDBC (not yet a Panache entity, see docs/architecture.md "Persistence, transactions and
 * names"). Callers hold the transaction.
 */
@ApplicationScoped
public class PoolTable {

    private static final String COLUMNS = "id, tenant_id, provider_name, pool_type, member_id, api_base_url, authorized_ips, "
            + "price_protection, exchange_rate, remark, secret_version, custom_selection_items, sync_interval_minutes, health, "
            + "health_message, checked_at, created_at, updated_at";

    @Inject
    DataSource dataSource;

    public void insert(Pool pool) {
        execute("""
                insert into pool (provider_name, pool_type, member_id, api_base_url, authorized_ips, price_protection, exchange_rate,
                                  remark, secret_version, custom_selection_items, sync_interval_minutes, health, health_message, checked_at,
                                  created_at, updated_at, id, tenant_id)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", pool);
    }

    public void update(Pool pool) {
        execute("""
                update pool set provider_name = ?, pool_type = ?, member_id = ?, api_base_url = ?, authorized_ips = ?,
                       price_protection = ?, exchange_rate = ?, remark = ?, secret_version = ?, custom_selection_items = ?,
                       sync_interval_minutes = ?, health = ?, health_message = ?, checked_at = ?, created_at = ?, updated_at = ?
                where id = ? and tenant_id = ?""", pool);
    }

    public boolean softDelete(String tenantId, UUID id, Instant now) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "update pool set deleted_at = ? where id = ? and tenant_id = ? and deleted_at is null")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setObject(2, id);
            update.setString(3, tenantId);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<Pool> find(String tenantId, UUID id) {
        List<Pool> found = query("select " + COLUMNS + " from pool where id = ? and tenant_id = ? and deleted_at is null",
                List.of(id, tenantId));
        return found.stream().findFirst();
    }

    /** Any tenant's pool, for background work (events, schedules). */
    public Optional<Pool> findAnyTenant(UUID id) {
        return query("select " + COLUMNS + " from pool where id = ? and deleted_at is null", List.of(id)).stream().findFirst();
    }

    /** PoolTable of the tenant whose provider name, member id, type or remark contains the search text. */
    public List<Pool> list(String tenantId, String search, int offset, int limit) {
        String like = "%" + (search == null ? "" : search.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")) + "%";
        return query("select " + COLUMNS + " from pool where tenant_id = ? and deleted_at is null and ("
                        + "lower(provider_name) like ? or lower(member_id) like ? or lower(pool_type) like ? or lower(coalesce(remark, '')) like ?)"
                        + " order by created_at, id offset ? limit ?",
                List.of(tenantId, like, like, like, like, offset, limit));
    }

    /** PoolTable with a schedule whose interval has passed since their last scheduled run. */
    public List<Pool> dueForSchedule(Instant now) {
        return query("select " + COLUMNS + " from pool where deleted_at is null and sync_interval_minutes is not null and "
                + "(last_scheduled_at is null or last_scheduled_at + make_interval(mins => sync_interval_minutes) <= ?)", List.of(Timestamp.from(now)));
    }

    /**
     * Claims the pool's due scheduled run: true for exactly one caller per due interval, even when several replicas look
     * at the schedule at once.
     */
    public boolean claimScheduled(UUID id, Instant now) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("update pool set last_scheduled_at = ? where id = ? "
                     + "and deleted_at is null and sync_interval_minutes is not null "
                     + "and (last_scheduled_at is null or last_scheduled_at + make_interval(mins => sync_interval_minutes) <= ?)")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setObject(2, id);
            update.setTimestamp(3, Timestamp.from(now));
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Moves the pool to a newer secret version written in key-service; false when it already uses that one or a newer one. */
    public boolean adoptSecretVersion(String tenantId, UUID id, int version) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "update pool set secret_version = ? where id = ? and tenant_id = ? and secret_version < ? and deleted_at is null")) {
            update.setInt(1, version);
            update.setObject(2, id);
            update.setString(3, tenantId);
            update.setInt(4, version);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records that the item has a saved custom selection (its later lines start unselected); once per item. */
    public void addCustomSelection(UUID id, String item) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("update pool set custom_selection_items = "
                     + "array_append(custom_selection_items, ?) where id = ? and not (? = any (custom_selection_items))")) {
            update.setString(1, item);
            update.setObject(2, id);
            update.setString(3, item);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets the health; returns the previous one (for a PoolHealthChanged event). */
    public PoolHealth setHealth(UUID id, PoolHealth health, String message, Instant now) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select health from pool where id = ? for update");
             PreparedStatement update = connection.prepareStatement(
                     "update pool set health = ?, health_message = ?, checked_at = ? where id = ?")) {
            select.setObject(1, id);
            PoolHealth previous;
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                previous = PoolHealth.valueOf(row.getString(1));
            }
            update.setString(1, health.name());
            update.setString(2, message == null ? null : message.length() > 500 ? message.substring(0, 500) : message);
            update.setTimestamp(3, Timestamp.from(now));
            update.setObject(4, id);
            update.executeUpdate();
            return previous;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void execute(String sql, Pool pool) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, pool.providerName());
            statement.setString(2, pool.type());
            statement.setString(3, pool.memberId());
            statement.setString(4, pool.apiBaseUrl());
            statement.setString(5, pool.authorizedIps().isEmpty() ? null : String.join(",", pool.authorizedIps()));
            statement.setBoolean(6, pool.priceProtection());
            statement.setBigDecimal(7, pool.exchangeRate());
            statement.setString(8, pool.remark());
            statement.setInt(9, pool.secretVersion());
            statement.setArray(10, connection.createArrayOf("text", pool.customSelectionItems().toArray()));
            if (pool.syncIntervalMinutes() == null) {
                statement.setNull(11, Types.INTEGER);
            } else {
                statement.setInt(11, pool.syncIntervalMinutes());
            }
            statement.setString(12, pool.health().name());
            statement.setString(13, pool.healthMessage());
            statement.setTimestamp(14, pool.checkedAt() == null ? null : Timestamp.from(pool.checkedAt()));
            statement.setTimestamp(15, Timestamp.from(pool.createdAt()));
            statement.setTimestamp(16, Timestamp.from(pool.updatedAt()));
            statement.setObject(17, pool.id());
            statement.setString(18, pool.tenantId());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Pool> query(String sql, List<Object> params) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                select.setObject(i + 1, params.get(i));
            }
            try (ResultSet row = select.executeQuery()) {
                List<Pool> pools = new ArrayList<>();
                while (row.next()) {
                    String ips = row.getString(7);
                    Timestamp checked = row.getTimestamp(16);
                    pools.add(new Pool((UUID) row.getObject(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                            row.getString(6), ips == null ? List.of() : List.of(ips.split(",")), row.getBoolean(8), row.getBigDecimal(9),
                            row.getString(10), row.getInt(11), List.of((String[]) row.getArray(12).getArray()), (Integer) row.getObject(13),
                            PoolHealth.valueOf(row.getString(14)), row.getString(15), checked == null ? null : checked.toInstant(),
                            row.getTimestamp(17).toInstant(), row.getTimestamp(18).toInstant()));
                }
                return pools;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
