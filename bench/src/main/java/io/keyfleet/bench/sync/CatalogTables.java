package io.keyfleet.bench.sync;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * What sync-service wrote, read from its database on the run's PostgreSQL server, two ways: the row versions of the
 * pool's catalog_item rows made after a transaction id ({@code xmin}, exact at once), and the cumulative counters of
 * pg_stat_user_tables (inserts + updates + deletes per table, reported by the backends within ~10 s).
 */
final class CatalogTables {

    record Written(long catalogItem, long allTables) {
        Written minus(Written before) {
            return new Written(catalogItem - before.catalogItem, allTables - before.allTables);
        }
    }

    private final String url;
    private final String user;
    private final String password;

    CatalogTables(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** The next transaction id: every row version written after this call has an xmin at least this. */
    long nextXid() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("select (txid_current() % 4294967296)::bigint + 1")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** catalog_item rows of the pool whose current version was written by a transaction from {@code xid} on. */
    long rowsWrittenSince(UUID poolId, long xid) throws SQLException {
        try (Connection connection = connect(); PreparedStatement select = connection.prepareStatement(
                "select count(*) from catalog_item where pool_id = ? and xmin::text::bigint >= ?")) {
            select.setObject(1, poolId);
            select.setLong(2, xid);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    long catalogRows(UUID poolId) throws SQLException {
        try (Connection connection = connect(); PreparedStatement select = connection.prepareStatement(
                "select count(*) from catalog_item where pool_id = ?")) {
            select.setObject(1, poolId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** Rows inserted + updated + deleted so far, per pg_stat_user_tables: catalog_item, and every table of sync-service. */
    Written written() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("""
                     select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del) filter (where relname = 'catalog_item'), 0),
                            coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)
                     from pg_stat_user_tables""")) {
            row.next();
            return new Written(row.getLong(1), row.getLong(2));
        }
    }

    /**
     * The reference for writing: the same rows COPY'd into a table shaped like catalog_item in the benchmark's own
     * database, one statement, no reads, no conflict checks. Returns the seconds it took.
     */
    static double copyReference(DataSource dataSource, List<UpstreamReference.Row> rows) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("drop table if exists bench_catalog_copy");
            statement.execute("""
                    create table bench_catalog_copy (
                        pool_id uuid not null, resource_type varchar(40) not null, item_id varchar(100) not null,
                        name varchar(300) not null, zone_id varchar(100), spec varchar(300), cost numeric(18, 4) not null,
                        currency varchar(3) not null, price numeric(18, 4) not null, selling_price numeric(18, 4),
                        price_flagged boolean not null default false, selected boolean not null, removed boolean not null default false,
                        content_hash varchar(64) not null, synced_at timestamptz not null,
                        primary key (pool_id, resource_type, item_id))""");
            StringBuilder text = new StringBuilder(rows.size() * 200);
            UUID pool = UUID.randomUUID();
            for (UpstreamReference.Row row : rows) {
                text.append(pool).append('\t').append(row.type()).append('\t').append(row.id()).append('\t').append(row.name())
                        .append('\t').append(row.zoneId() == null ? "\\N" : row.zoneId()).append('\t')
                        .append(row.spec() == null ? "\\N" : row.spec()).append('\t').append(row.price()).append('\t')
                        .append(row.currency()).append('\t').append(row.price()).append("\t\\N\tf\tt\tf\t")
                        .append(row.hash()).append('\t').append("2026-01-01 00:00:00+00").append('\n');
            }
            long start = System.nanoTime();
            PGConnection pg = connection.unwrap(PGConnection.class);
            long copied = pg.getCopyAPI().copyIn("copy bench_catalog_copy (pool_id, resource_type, item_id, name, zone_id, spec, cost,"
                    + " currency, price, selling_price, price_flagged, selected, removed, content_hash, synced_at) from stdin",
                    new StringReader(text.toString()));
            double seconds = (System.nanoTime() - start) / 1e9;
            if (copied != rows.size()) {
                throw new IllegalStateException("COPY wrote " + copied + " rows of " + rows.size());
            }
            statement.execute("drop table bench_catalog_copy");
            return seconds;
        }
    }
}
