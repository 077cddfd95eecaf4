package io.keyfleet.sync.catalog;

import io.keyfleet.events.PriceProtectionTriggered;
import io.keyfleet.kit.outbox.Outbox;
import io.keyfleet.sync.pool.Pool;
import io.keyfleet.sync.upstream.PoolApiClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Applies one upstream page to the catalog in one transaction, writing only what differs. Upstream pages come in
 * ascending id order, so a page also settles the id range since the previous page: rows in that range the page lacks
 * were removed upstream and are marked removed. Memory is one page, whatever the catalog size.
 */
@ApplicationScoped
public class CatalogWriter {

    public record Counts(int seen, int created, int updated, int removed) {
    }

    private record Existing(String hash, boolean removed, boolean selected, BigDecimal sellingPrice, boolean flagged) {
    }

    @Inject
    DataSource dataSource;

    @Inject
    Outbox outbox;

    /**
     * @param afterId the last id of the previous page ("" before the first); items must sort after it
     * @param last    true for the final page: rows after its last id are removed too
     */
    @Transactional
    public Counts apply(Pool pool, CatalogType type, String afterId, List<PoolApiClient.Item> items, boolean selectedOnly, boolean last)
            throws SQLException {
        String previous = afterId;
        for (PoolApiClient.Item item : items) {
            if (item.id().compareTo(previous) <= 0) {
                throw new IllegalStateException("upstream page of " + type.path() + " is not in ascending id order at '" + item.id() + "'");
            }
            previous = item.id();
        }
        if (items.isEmpty() && !last) {
            return new Counts(0, 0, 0, 0); // a page emptied by removals settles nothing; the next page's range covers it
        }
        String upTo = items.isEmpty() ? null : items.get(items.size() - 1).id();
        Instant now = Instant.now();
        try (Connection connection = dataSource.getConnection()) {
            Map<String, Existing> existing = existing(connection, pool, type, afterId, last ? null : upTo);
            int created = 0;
            int updated = 0;
            Set<String> seen = new HashSet<>();
            List<Object[]> upserts = new ArrayList<>();
            for (PoolApiClient.Item item : items) {
                seen.add(item.id());
                BigDecimal price = item.price().multiply(pool.exchangeRate()).setScale(4, RoundingMode.HALF_UP);
                String hash = hash(item, pool.exchangeRate());
                Existing old = existing.get(item.id());
                if (old != null && old.hash().equals(hash) && !old.removed()) {
                    continue;
                }
                boolean selectionSync = selectedOnly && !type.base();
                boolean customSelection = pool.hasCustomSelection(type.path());
                if (selectionSync && (old != null ? !old.selected() : customSelection)) {
                    continue; // a selection sync leaves unselected lines (and new ones, which start unselected) to a full sync
                }
                boolean selected = old != null ? old.selected() : !customSelection || type.base();
                BigDecimal selling = old == null ? null : old.sellingPrice();
                boolean flagged = pool.priceProtection() && selling != null && price.compareTo(selling) > 0;
                if (flagged && (old == null || !old.flagged())) {
                    outbox.record(pool.tenantId(), new PriceProtectionTriggered(pool.id().toString(), type.path(), item.id(),
                            price.toPlainString(), selling.toPlainString()));
                }
                upserts.add(new Object[]{item, price, hash, selected, flagged});
                if (old == null) {
                    created++;
                } else {
                    updated++;
                }
            }
            upsert(connection, pool, type, upserts, now);
            List<String> gone = new ArrayList<>();
            existing.forEach((id, row) -> {
                if (!row.removed() && !seen.contains(id) && (!selectedOnly || type.base() || row.selected())) {
                    gone.add(id);
                }
            });
            markRemoved(connection, pool, type, gone);
            return new Counts(items.size(), created, updated, gone.size());
        }
    }

    /** Rows with afterId &lt; id &lt;= upTo (no upper bound when upTo is null). */
    private static Map<String, Existing> existing(Connection connection, Pool pool, CatalogType type, String afterId, String upTo)
            throws SQLException {
        Map<String, Existing> rows = new HashMap<>();
        // two statements rather than "(? is null or item_id <= ?)": a prepared statement's generic plan cannot bound the
        // primary-key range scan with that, and every page would read the rest of the type's rows
        String select = "select item_id, content_hash, removed, selected, selling_price, price_flagged from catalog_item"
                + " where pool_id = ? and resource_type = ? and item_id > ?" + (upTo == null ? "" : " and item_id <= ?");
        try (PreparedStatement statement = connection.prepareStatement(select)) {
            statement.setObject(1, pool.id());
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

    /** The whole page in one statement: its columns as arrays, unnested into rows (one round trip, one executor run). */
    private static void upsert(Connection connection, Pool pool, CatalogType type, List<Object[]> upserts, Instant now) throws SQLException {
        if (upserts.isEmpty()) {
            return;
        }
        int size = upserts.size();
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
            Object[] row = upserts.get(i);
            PoolApiClient.Item item = (PoolApiClient.Item) row[0];
            ids[i] = item.id();
            names[i] = item.name();
            zones[i] = item.zoneId();
            specs[i] = item.spec();
            costs[i] = item.price();
            currencies[i] = item.currency() == null ? "USD" : item.currency();
            prices[i] = (BigDecimal) row[1];
            flagged[i] = (Boolean) row[4];
            selected[i] = (Boolean) row[3];
            hashes[i] = (String) row[2];
        }
        try (PreparedStatement upsert = connection.prepareStatement("""
                insert into catalog_item (pool_id, resource_type, item_id, name, zone_id, spec, cost, currency, price, price_flagged,
                                          selected, removed, content_hash, synced_at)
                select ?, ?, item_id, name, zone_id, spec, cost, currency, price, price_flagged, selected, false, content_hash, ?
                from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::numeric[], ?::varchar[], ?::numeric[],
                            ?::boolean[], ?::boolean[], ?::varchar[])
                     as page (item_id, name, zone_id, spec, cost, currency, price, price_flagged, selected, content_hash)
                on conflict (pool_id, resource_type, item_id) do update set name = excluded.name, zone_id = excluded.zone_id,
                    spec = excluded.spec, cost = excluded.cost, currency = excluded.currency, price = excluded.price,
                    price_flagged = excluded.price_flagged, removed = false, content_hash = excluded.content_hash,
                    synced_at = excluded.synced_at""")) {
            upsert.setObject(1, pool.id());
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

    private static void markRemoved(Connection connection, Pool pool, CatalogType type, List<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(
                "update catalog_item set removed = true, synced_at = now() where pool_id = ? and resource_type = ? and item_id = any (?)")) {
            Array array = connection.createArrayOf("varchar", ids.toArray());
            update.setObject(1, pool.id());
            update.setString(2, type.name());
            update.setArray(3, array);
            update.executeUpdate();
        }
    }

    /** What decides "changed": the upstream fields and the exchange rate they are converted with. */
    static String hash(PoolApiClient.Item item, BigDecimal exchangeRate) {
        String content = String.join("\u0000", item.name(), String.valueOf(item.zoneId()), String.valueOf(item.spec()),
                item.price().stripTrailingZeros().toPlainString(), String.valueOf(item.currency()), exchangeRate.stripTrailingZeros().toPlainString());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
