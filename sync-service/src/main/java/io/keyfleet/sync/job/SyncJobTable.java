package io.keyfleet.sync.job;

import io.keyfleet.sync.catalog.CatalogType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** The sync_job, sync_job_item and item_sync tables. Callers hold the transaction. */
@ApplicationScoped
public class SyncJobs {

    @Inject
    DataSource dataSource;

    /** The active (queued or running) job items of a pool: item → job id. */
    public Map<CatalogType, UUID> activeItems(UUID poolId) {
        Map<CatalogType, UUID> active = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "select resource_type, job_id from sync_job_item where pool_id = ? and status in ('QUEUED', 'RUNNING')")) {
            select.setObject(1, poolId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    active.put(CatalogType.valueOf(rows.getString(1)), (UUID) rows.getObject(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return active;
    }

    /** Inserts a queued job; the partial unique index refuses an item that another job has active (SQLState 23505). */
    public void insert(UUID jobId, String tenantId, UUID poolId, List<CatalogType> items, boolean selectedOnly) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement job = connection.prepareStatement("""
                     insert into sync_job (id, tenant_id, pool_id, selected_only, status, created_at) values (?, ?, ?, ?, 'QUEUED', ?)""");
             PreparedStatement item = connection.prepareStatement("""
                     insert into sync_job_item (job_id, pool_id, resource_type, position, status) values (?, ?, ?, ?, 'QUEUED')""")) {
            job.setObject(1, jobId);
            job.setString(2, tenantId);
            job.setObject(3, poolId);
            job.setBoolean(4, selectedOnly);
            job.setTimestamp(5, Timestamp.from(Instant.now()));
            job.executeUpdate();
            for (int i = 0; i < items.size(); i++) {
                item.setObject(1, jobId);
                item.setObject(2, poolId);
                item.setString(3, items.get(i).name());
                item.setInt(4, i);
                item.addBatch();
            }
            item.executeBatch();
        }
    }

    public Optional<SyncJobView> find(UUID poolId, UUID jobId) {
        List<SyncJobView> jobs = list("where j.pool_id = ? and j.id = ?", List.of(poolId, jobId), 1);
        return jobs.stream().findFirst();
    }

    public List<SyncJobView> recent(UUID poolId, int limit) {
        return list("where j.pool_id = ?", List.of(poolId), limit);
    }

    public void markJob(UUID jobId, JobStatus status, String reason) {
        String times = status == JobStatus.RUNNING ? ", started_at = now()" : status.active() ? "" : ", finished_at = now()";
        update("update sync_job set status = ?, reason = ?" + times + " where id = ?", status.name(), cut(reason, 2000), jobId);
    }

    public void markItem(UUID jobId, CatalogType type, JobStatus status, String reason) {
        update("update sync_job_item set status = ?, reason = ? where job_id = ? and resource_type = ?", status.name(),
                cut(reason, 1000), jobId, type.name());
    }

    public void progress(UUID jobId, CatalogType type, int seen, int created, int updated, int removed) {
        update("update sync_job_item set seen = seen + ?, created = created + ?, updated = updated + ?, removed = removed + ? "
                + "where job_id = ? and resource_type = ?", seen, created, updated, removed, jobId, type.name());
    }

    public boolean cancelRequested(UUID jobId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select cancel_requested from sync_job where id = ?")) {
            select.setObject(1, jobId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes a queued job up: RUNNING. False when it is no longer queued (cancelled before a worker got to it). */
    public boolean begin(UUID jobId) {
        return update("update sync_job set status = 'RUNNING', started_at = now() where id = ? and status = 'QUEUED'", jobId) == 1;
    }

    /** Ends a job no worker has taken up yet, its items free again; false when it is not queued. */
    public boolean cancelQueued(UUID poolId, UUID jobId, String reason) {
        if (update("update sync_job set status = 'FAILED', reason = ?, cancel_requested = true, finished_at = now() "
                + "where id = ? and pool_id = ? and status = 'QUEUED'", reason, jobId, poolId) == 0) {
            return false;
        }
        update("update sync_job_item set status = 'FAILED', reason = ? where job_id = ?", reason, jobId);
        return true;
    }

    public boolean requestCancel(UUID poolId, UUID jobId) {
        return update("update sync_job set cancel_requested = true where id = ? and pool_id = ? and status in ('QUEUED', 'RUNNING')",
                jobId, poolId) == 1;
    }

    /** The last sync of one item of a pool, shown per item. */
    public void recordItemSync(UUID poolId, CatalogType type, UUID jobId, JobStatus status, String reason) {
        update("""
                insert into item_sync (pool_id, resource_type, status, last_synced_at, last_job_id, reason) values (?, ?, ?, now(), ?, ?)
                on conflict (pool_id, resource_type) do update set status = excluded.status, last_synced_at = excluded.last_synced_at,
                    last_job_id = excluded.last_job_id, reason = excluded.reason""", poolId, type.name(), status.name(), jobId, cut(reason, 1000));
    }

    public record ItemSync(String item, String status, Instant lastSyncedAt, UUID lastJobId, String reason) {
    }

    public List<ItemSync> itemSyncs(UUID poolId) {
        List<ItemSync> result = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "select resource_type, status, last_synced_at, last_job_id, reason from item_sync where pool_id = ?")) {
            select.setObject(1, poolId);
            Map<String, ItemSync> byType = new LinkedHashMap<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    CatalogType type = CatalogType.valueOf(rows.getString(1));
                    Timestamp at = rows.getTimestamp(3);
                    byType.put(type.name(), new ItemSync(type.path(), rows.getString(2), at == null ? null : at.toInstant(),
                            (UUID) rows.getObject(4), rows.getString(5)));
                }
            }
            for (CatalogType type : CatalogType.values()) {
                result.add(byType.getOrDefault(type.name(), new ItemSync(type.path(), "NEVER_SYNCED", null, null, null)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return result;
    }

    public boolean succeeded(UUID poolId, CatalogType type) {
        return itemSyncs(poolId).stream().anyMatch(sync -> sync.item().equals(type.path()) && "SUCCEEDED".equals(sync.status()));
    }

    /** Jobs a stopped replica left behind can never finish: they end FAILED so their items are free again. */
    public int failAbandoned(String reason) {
        update("update sync_job_item set status = 'FAILED', reason = ? where status in ('QUEUED', 'RUNNING')", reason);
        return update("update sync_job set status = 'FAILED', reason = ?, finished_at = now() where status in ('QUEUED', 'RUNNING')", reason);
    }

    private List<SyncJobView> list(String where, List<Object> params, int limit) {
        List<SyncJobView> jobs = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select j.id, j.pool_id, j.selected_only, j.status, j.reason, "
                     + "j.cancel_requested, j.created_at, j.started_at, j.finished_at from sync_job j " + where
                     + " order by j.created_at desc limit " + limit);
             PreparedStatement items = connection.prepareStatement("select resource_type, status, seen, created, updated, removed, reason "
                     + "from sync_job_item where job_id = ? order by position")) {
            for (int i = 0; i < params.size(); i++) {
                select.setObject(i + 1, params.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    UUID id = (UUID) rows.getObject(1);
                    items.setObject(1, id);
                    List<SyncJobView.ItemProgress> progress = new ArrayList<>();
                    try (ResultSet itemRows = items.executeQuery()) {
                        while (itemRows.next()) {
                            progress.add(new SyncJobView.ItemProgress(CatalogType.valueOf(itemRows.getString(1)).path(),
                                    JobStatus.valueOf(itemRows.getString(2)), itemRows.getInt(3), itemRows.getInt(4), itemRows.getInt(5),
                                    itemRows.getInt(6), itemRows.getString(7)));
                        }
                    }
                    jobs.add(new SyncJobView(id, (UUID) rows.getObject(2), rows.getBoolean(3), JobStatus.valueOf(rows.getString(4)),
                            rows.getString(5), rows.getBoolean(6), instant(rows.getTimestamp(7)), instant(rows.getTimestamp(8)),
                            instant(rows.getTimestamp(9)), progress));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return jobs;
    }

    private int update(String sql, Object... params) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
