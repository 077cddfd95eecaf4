package io.keyfleet.bench.tokens;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the benchmark reads straight from the services' databases (read-only): token-service's grants (due backlog,
 * expiries, the end state) and the sandbox's ledger of issued tokens and gateway calls (the provider's truth: when each
 * token was issued and when it expired).
 */
final class FleetDatabases {

    private final String tokenUrl;
    private final String sandboxUrl;
    private final String user;
    private final String password;

    FleetDatabases(String tokenUrl, String sandboxUrl, String user, String password) {
        this.tokenUrl = tokenUrl;
        this.sandboxUrl = sandboxUrl;
        this.user = user;
        this.password = password;
    }

    /**
     * Grants of the app in token-service: how many, ACTIVE, refreshed at least once, holding an expired token now, and
     * due but not claimed by a scheduler (the backlog: waiting, not in flight).
     */
    record GrantState(long grants, long active, long refreshed, long expiredNow, long due) {
    }

    GrantState grantState(String appId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(tokenUrl, user, password);
             PreparedStatement select = connection.prepareStatement("""
                     select count(*), count(*) filter (where status = 'ACTIVE'), count(*) filter (where generation >= 2),
                            count(*) filter (where access_expires_at <= now()),
                            count(*) filter (where status = 'ACTIVE' and next_refresh_at <= now()
                                             and (lease_until is null or lease_until < now()))
                     from token_grant where app_id = ?""")) {
            select.setString(1, appId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return new GrantState(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5));
            }
        }
    }

    /** Percentiles 0, 1, 50, 99, 100 of the access-token expiries and of the planned refreshes, as token-service stored them. */
    record Spread(Instant[] expiry, Instant[] nextRefresh) {
    }

    Spread spread(String appId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(tokenUrl, user, password);
             PreparedStatement select = connection.prepareStatement("""
                     select min(access_expires_at), percentile_disc(0.01) within group (order by access_expires_at),
                            percentile_disc(0.5) within group (order by access_expires_at),
                            percentile_disc(0.99) within group (order by access_expires_at), max(access_expires_at),
                            min(next_refresh_at), percentile_disc(0.01) within group (order by next_refresh_at),
                            percentile_disc(0.5) within group (order by next_refresh_at),
                            percentile_disc(0.99) within group (order by next_refresh_at), max(next_refresh_at)
                     from token_grant where app_id = ?""")) {
            select.setString(1, appId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                Instant[] expiry = new Instant[5];
                Instant[] next = new Instant[5];
                for (int i = 0; i < 5; i++) {
                    expiry[i] = row.getTimestamp(1 + i).toInstant();
                    next[i] = row.getTimestamp(6 + i).toInstant();
                }
                return new Spread(expiry, next);
            }
        }
    }

    /** Successful upstream refreshes of the app per second (epoch second, count), from the sandbox's call log. */
    List<long[]> refreshesPerSecond(String appId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(sandboxUrl, user, password);
             PreparedStatement select = connection.prepareStatement("""
                     select extract(epoch from date_trunc('second', at))::bigint, count(*) from gateway_call
                     where app_id = ? and operation = 'refresh_token' and outcome = 'SUCCESS' group by 1 order by 1""")) {
            select.setString(1, appId);
            List<long[]> series = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    series.add(new long[] {rows.getLong(1), rows.getLong(2)});
                }
            }
            return series;
        }
    }

    /**
     * The provider's truth: grants of the app whose first access token expired before a refreshed pair was issued (or
     * that still have no refreshed pair and whose first token has expired). Zero means no grant was ever left with
     * only an expired token.
     */
    long lapsedAtProvider(String appId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(sandboxUrl, user, password);
             PreparedStatement select = connection.prepareStatement("""
                     select count(*) from app_token t0 join app_grant g on g.id = t0.grant_id
                       left join (select parent_id, min(issued_at) as first_child from app_token where parent_id is not null
                                  group by parent_id) c on c.parent_id = t0.id
                     where g.app_id = ? and t0.generation = 0 and t0.access_expires_at <= coalesce(c.first_child, now())""")) {
            select.setString(1, appId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
