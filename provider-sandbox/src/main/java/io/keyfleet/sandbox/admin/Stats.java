package io.keyfleet.sandbox.admin;

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
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Counts for tests and benchmarks. A grant's refreshes: how many token pairs were issued by refresh in its lineage.
 * A refresh token used more than once (two concurrent refreshes, or a retry after a lost response within the grace)
 * shows as timesRefreshed &gt; 1 — "exactly one refresh per grant per cycle" is maxRefreshesOfOneToken == 1.
 */
@ApplicationScoped
public class Stats {

    @Inject
    DataSource dataSource;

    public record RefreshSummary(long grants, long refreshes, long tokensRefreshedMoreThanOnce, long maxRefreshesOfOneToken,
                                 Map<Long, Long> grantsByRefreshCount) {
    }

    public record GrantStats(long grantId, String appId, String userId, String authAppId, Instant createdAt, long refreshes,
                             int currentGeneration, Map<Integer, Integer> refreshesByGeneration) {
    }

    public record CallCount(String operation, String outcome, long calls) {
    }

    public RefreshSummary refreshSummary(String appId) {
        try (Connection connection = dataSource.getConnection()) {
            long grants = 0;
            long refreshes = 0;
            Map<Long, Long> histogram = new TreeMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "select refresh_count, count(*) from app_grant where (? is null or app_id = ?) group by refresh_count")) {
                select.setString(1, appId);
                select.setString(2, appId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        histogram.put(rows.getLong(1), rows.getLong(2));
                        grants += rows.getLong(2);
                        refreshes += rows.getLong(1) * rows.getLong(2);
                    }
                }
            }
            try (PreparedStatement select = connection.prepareStatement("""
                    select count(*) filter (where t.times_refreshed > 1), coalesce(max(t.times_refreshed), 0)
                    from app_token t join app_grant g on g.id = t.grant_id where (? is null or g.app_id = ?)""")) {
                select.setString(1, appId);
                select.setString(2, appId);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return new RefreshSummary(grants, refreshes, row.getLong(1), row.getLong(2), histogram);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<GrantStats> grants(String appId, String userId, int limit, long afterId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     select g.id, g.app_id, g.user_id, g.auth_app_id, g.created_at, g.refresh_count,
                            coalesce((select max(generation) from app_token t where t.grant_id = g.id), 0),
                            (select string_agg(t.generation || ':' || t.times_refreshed, ',' order by t.generation, t.id)
                             from app_token t where t.grant_id = g.id and t.times_refreshed > 0)
                     from app_grant g
                     where (? is null or g.app_id = ?) and (? is null or g.user_id = ?) and g.id > ?
                     order by g.id limit ?""")) {
            select.setString(1, appId);
            select.setString(2, appId);
            select.setString(3, userId);
            select.setString(4, userId);
            select.setLong(5, afterId);
            select.setInt(6, limit);
            List<GrantStats> grants = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Map<Integer, Integer> byGeneration = new LinkedHashMap<>();
                    String pairs = rows.getString(8);
                    if (pairs != null) {
                        for (String pair : pairs.split(",")) {
                            String[] parts = pair.split(":");
                            byGeneration.merge(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer::sum);
                        }
                    }
                    grants.add(new GrantStats(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getTimestamp(5).toInstant(), rows.getLong(6), rows.getInt(7), byGeneration));
                }
            }
            return grants;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<CallCount> calls(String appId, Instant since) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     select operation, outcome, count(*) from gateway_call
                     where (? is null or app_id = ?) and at >= ?
                     group by operation, outcome order by operation, outcome""")) {
            select.setString(1, appId);
            select.setString(2, appId);
            select.setTimestamp(3, Timestamp.from(since));
            List<CallCount> counts = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.add(new CallCount(rows.getString(1), rows.getString(2), rows.getLong(3)));
                }
            }
            return counts;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
