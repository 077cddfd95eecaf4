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
import java.util.UUID;
import javax.sql.DataSource;

/** The item_sync table: the last sync of each item of a pool. Callers hold the transaction. */
@ApplicationScoped
public class ItemSyncTable {

    private static final String RECORD = """
            insert into item_sync (pool_id, resource_type, status, last_synced_at, last_job_id, reason) values (?, ?, ?, now(), ?, ?)
            on conflict (pool_id, resource_type) do update set status = excluded.status, last_synced_at = excluded.last_synced_at,
                last_job_id = excluded.last_job_id, reason = excluded.reason""";
    private static final String OF_POOL = "select resource_type, status, last_synced_at, last_job_id, reason from item_sync where pool_id = ?";

    public record ItemSync(String item, String status, Instant lastSyncedAt, UUID lastJobId, String reason) {
    }

    @Inject
    DataSource dataSource;

    /** The last sync of one item of a pool, shown per item. */
    public void record(UUID poolId, CatalogType type, UUID jobId, JobStatus status, String reason) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement upsert = connection.prepareStatement(RECORD)) {
            upsert.setObject(1, poolId);
            upsert.setString(2, type.name());
            upsert.setString(3, status.name());
            upsert.setObject(4, jobId);
            upsert.setString(5, reason == null || reason.length() <= 1000 ? reason : reason.substring(0, 1000));
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every item of the pool, in sync order; NEVER_SYNCED for one without a sync yet. */
    public List<ItemSync> ofPool(UUID poolId) {
        List<ItemSync> result = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(OF_POOL)) {
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
        return ofPool(poolId).stream().anyMatch(sync -> sync.item().equals(type.path()) && "SUCCEEDED".equals(sync.status()));
    }
}
