package io.keyfleet.sync.catalog;

import io.keyfleet.sync.catalog.CatalogResource.CatalogEntry;
import io.keyfleet.sync.support.Like;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The catalog_item table, in plain JDBC: a page of upstream items is read, upserted and settled with one statement
 * each, whatever its size ({@code bench/run sync}). Callers hold the transaction.
 */
@ApplicationScoped
public class CatalogItemTable {

    /** What a page compares with: a row's content hash and the state the sync keeps. */
    public record Existing(String hash, boolean removed, boolean selected, BigDecimal sellingPrice, boolean flagged) {
    }

    /** One row of a page to write. */
    public record Upsert(String itemId, String name, String zoneId, String spec, BigDecimal cost, String currency, BigDecimal price,
                         boolean flagged, boolean selected, String hash) {
    }

    /** A repriced row: its price and whether it is now flagged. */
    public record Repriced(BigDecimal price, boolean flagged) {
    }

    private static final String EXISTING = "select item_id, content_hash, removed, selected, selling_price, price_flagged from catalog_item"
            + " where pool_id = ? and resource_type = ? and item_id > ?";
    // two statements rather than "(? is null or item_id <= ?)": a prepared statement's generic plan cannot bound the
    // primary-key range scan with that, and every page would read the rest of the type's rows
    private static final String EXISTING_UP_TO = EXISTING + " and item_id <= ?";

    /** The whole page in one statement: its columns as arrays, unnested into rows (one round trip, one executor run). */
    private static final String UPSERT_PAGE = """
            insert into catalog_item (pool_id, resource_type, item_id, name, zone_id, spec, cost, currency, price, price_flagged,
                                      selected, removed, content_hash, synced_at)
            select ?, ?, item_id, name, zone_id, spec, cost, currency, price, price_flagged, selected, false, content_hash, ?
            from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::numeric[], ?::varchar[], ?::numeric[],
                        ?::boolean[], ?::boolean[], ?::varchar[])
                 as page (item_id, name, zone_id, spec, cost, currency, price, price_flagged, selected, content_hash)
            on conflict (pool_id, resource_type, item_id) do update set name = excluded.name, zone_id = excluded.zone_id,
                spec = excluded.spec, cost = excluded.cost, currency = excluded.currency, price = excluded.price,
                price_flagged = excluded.price_flagged, removed = false, content_hash = excluded.content_hash,
                synced_at = excluded.synced_at""";

    private static final String MARK_REMOVED =
            "update catalog_item set removed = true, synced_at = now() where pool_id = ? and resource_type = ? and item_id = any (?)";

    private static final String SELECT_ENTRY = "select item_id, name, zone_id, spec, cost, currency, price, selling_price, price_flagged,"
            + " selected, removed, synced_at from catalog_item where pool_id = ? and resource_type = ?";
    private static final String FIND = SELECT_ENTRY + " and item_id = ?";
    /** A keyset page; each filter is off when its parameter says so (the primary-key range bounds the scan either way). */
    private static final String PAGE = SELECT_ENTRY + " and item_id > ? and (? or not removed) and (not ? or price_flagged)"
            + " and (not ? or selected) and (cast(? as varchar) is null or zone_id = ?)"
            + " and (cast(? as varchar) is null or lower(name) like ?) order by item_id limit ?";

    private static final String SET_SELLING_PRICE = """
            update catalog_item set selling_price = ?, price_flagged = (? and price > ?)
            where pool_id = ? and resource_type = ? and item_id = ? returning price, price_flagged""";

    private static final String SET_SELECTION = "update catalog_item set selected = (item_id = any (?)) where pool_id = ?"
            + " and resource_type = ? and selected <> (item_id = any (?))";

    /** The filters of a catalog page; null zoneId and search match every row. */
    public record Filter(boolean includeRemoved, boolean flaggedOnly, boolean selectedOnly, String zoneId, String search) {
    }

    @Inject
    DataSource dataSource;

    /** Rows with afterId &lt; id &lt;= upTo (no upper bound when upTo is null), by item id. */
    public Map<String, Existing> existing(UUID poolId, CatalogType type, String afterId, String upTo) throws SQLException {
        Map<String, Existing> rows = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(upTo == null ? EXISTING : EXISTING_UP_TO)) {
            statement.setObject(1, poolId);
            statement.setString(2, type.name());
            statement.setString(3, afterId);
            if (upTo != null) {
                statement.setString(4, upTo);
            }
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    rows.put(row.getString(1), new Existing(row.getString(2), row.getBoolean(3), row.getBoolean(4), row.getBigDecimal(5),
                            row.getBoolean(6)));
                }
            }
        }
        return rows;
    }

    /** Inserts or updates the rows of a page, in one statement. */
    public void upsert(UUID poolId, CatalogType type, List<Upsert> rows, Instant now) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        int size = rows.size();
        String[] ids = new String[size];
        String[] names = new String[size];
        String[] zones = new String[size];
        String[] specs = new String[size];
        BigDecimal[] costs = new BigDecimal[size];
        String[] currencies = new String[size];
        BigDecimal[] prices = new BigDecimal[size];
        Boolean[] flagged = new Boolean[size];
        Boolean[] selected = new Boolean[size];
        String[] hashes = new String[size];
        for (int i = 0; i < size; i++) {
            Upsert row = rows.get(i);
            ids[i] = row.itemId();
            names[i] = row.name();
            zones[i] = row.zoneId();
            specs[i] = row.spec();
            costs[i] = row.cost();
            currencies[i] = row.currency();
            prices[i] = row.price();
            flagged[i] = row.flagged();
            selected[i] = row.selected();
            hashes[i] = row.hash();
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement upsert = connection.prepareStatement(UPSERT_PAGE)) {
            upsert.setObject(1, poolId);
            upsert.setString(2, type.name());
            upsert.setTimestamp(3, Timestamp.from(now));
            upsert.setArray(4, connection.createArrayOf("varchar", ids));
            upsert.setArray(5, connection.createArrayOf("varchar", names));
            upsert.setArray(6, connection.createArrayOf("varchar", zones));
            upsert.setArray(7, connection.createArrayOf("varchar", specs));
            upsert.setArray(8, connection.createArrayOf("numeric", costs));
            upsert.setArray(9, connection.createArrayOf("varchar", currencies));
            upsert.setArray(10, connection.createArrayOf("numeric", prices));
            upsert.setArray(11, connection.createArrayOf("boolean", flagged));
            upsert.setArray(12, connection.createArrayOf("boolean", selected));
            upsert.setArray(13, connection.createArrayOf("varchar", hashes));
            upsert.executeUpdate();
        }
    }

    /** Marks rows removed upstream (never deletes them). */
    public void markRemoved(UUID poolId, CatalogType type, List<String> itemIds) throws SQLException {
        if (itemIds.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(MARK_REMOVED)) {
            update.setObject(1, poolId);
            update.setString(2, type.name());
            update.setArray(3, connection.createArrayOf("varchar", itemIds.toArray()));
            update.executeUpdate();
        }
    }

    /** Up to {@code limit} rows after {@code after}, by item id. */
    public List<CatalogEntry> page(UUID poolId, CatalogType type, String after, Filter filter, int limit) {
        String like = Like.containing(filter.search());
        return query(type, PAGE, poolId, type.name(), after, filter.includeRemoved(), filter.flaggedOnly(), filter.selectedOnly(),
                filter.zoneId(), filter.zoneId(), like, like, limit);
    }

    public Optional<CatalogEntry> find(UUID poolId, CatalogType type, String itemId) {
        return query(type, FIND, poolId, type.name(), itemId).stream().findFirst();
    }

    /** Sets the selling price and the flag ({@code protect} and price above it); empty when there is no such row. */
    public Optional<Repriced> setSellingPrice(UUID poolId, CatalogType type, String itemId, BigDecimal sellingPrice, boolean protect) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(SET_SELLING_PRICE)) {
            update.setBigDecimal(1, sellingPrice);
            update.setBoolean(2, protect);
            update.setBigDecimal(3, sellingPrice);
            update.setObject(4, poolId);
            update.setString(5, type.name());
            update.setString(6, itemId);
            try (ResultSet row = update.executeQuery()) {
                return row.next() ? Optional.of(new Repriced(row.getBigDecimal(1), row.getBoolean(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Selects exactly {@code itemIds} of the type, unselecting the rest; only rows that change are written. */
    public void select(UUID poolId, CatalogType type, List<String> itemIds) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(SET_SELECTION)) {
            java.sql.Array ids = connection.createArrayOf("varchar", itemIds.toArray());
            update.setArray(1, ids);
            update.setObject(2, poolId);
            update.setString(3, type.name());
            update.setArray(4, ids);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<CatalogEntry> query(CatalogType type, String sql, Object... params) {
        List<CatalogEntry> entries = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                select.setObject(i + 1, params[i]);
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    entries.add(new CatalogEntry(type.path(), row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                            row.getBigDecimal(5), row.getString(6), row.getBigDecimal(7), row.getBigDecimal(8), row.getBoolean(9),
                            row.getBoolean(10), row.getBoolean(11), row.getTimestamp(12).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return entries;
    }
}
