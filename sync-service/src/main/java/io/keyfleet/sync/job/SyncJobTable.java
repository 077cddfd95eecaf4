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

/** The sync_job table with its items (sync_job_item). Callers hold the transaction. */
@ApplicationScoped
public class SyncJobTable {

    private static final String SELECT_JOB = "select j.id, j.pool_id, j.selected_only, j.status, j.reason, j.cancel_requested,"
            + " j.created_at, j.started_at, j.finished_at from sync_job j";
    private static final String FIND = SELECT_JOB + " where j.pool_id = ? and j.id = ?";
    private static final String RECENT = SELECT_JOB + " where j.pool_id = ? order by j.created_at desc limit ?";
    private static final String ITEMS_OF_JOB = "select resource_type, status, seen, created, updated, removed, reason"
            + " from sync_job_item where job_id = ? order by position";

    private static final String MARK_RUNNING = "update sync_job set status = ?, reason = ?, started_at = now() where id = ?";
    private static final String MARK_QUEUED = "update sync_job set status = ?, reason = ? where id = ?";
    private static final String MARK_ENDED = "update sync_job set status = ?, reason = ?, finished_at = now() where id = ?";

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
        return list(FIND, poolId, jobId).stream().findFirst();
    }

    public List<SyncJobView> recent(UUID poolId, int limit) {
        return list(RECENT, poolId, limit);
    }

    public void markJob(UUID jobId, JobStatus status, String reason) {
        String mark = status == JobStatus.RUNNING ? MARK_RUNNING : status.active() ? MARK_QUEUED : MARK_ENDED;
        update(mark, status.name(), cut(reason, 2000), jobId);
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

    /** Jobs a stopped replica left behind can never finish: they end FAILED so their items are free again. */
    public int failAbandoned(String reason) {
        update("update sync_job_item set status = 'FAILED', reason = ? where status in ('QUEUED', 'RUNNING')", reason);
        return update("update sync_job set status = 'FAILED', reason = ?, finished_at = now() where status in ('QUEUED', 'RUNNING')", reason);
    }

    private List<SyncJobView> list(String sql, Object... params) {
        List<SyncJobView> jobs = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql);
             PreparedStatement items = connection.prepareStatement(ITEMS_OF_JOB)) {
            for (int i = 0; i < params.length; i++) {
                select.setObject(i + 1, params[i]);
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
