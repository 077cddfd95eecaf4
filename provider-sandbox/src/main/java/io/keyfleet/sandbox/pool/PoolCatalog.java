package io.keyfleet.sandbox.pool;

import io.keyfleet.sandbox.support.SandboxClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Accounts and their catalogs. Item i of a type is a pure function of (seed, type, i), so any page of a 100,000-item
 * catalog is computed on demand; stored overrides change, remove or add items between syncs.
 */
@ApplicationScoped
public class PoolCatalog {

    public record Page(int page, int pageSize, int totalPages, List<CatalogItem> items) {
    }

    public record Changes(int added, int changed, int removed) {
    }

    private record Override(boolean removed, String name, BigDecimal price) {
    }

    @Inject
    DataSource dataSource;

    @Inject
    SandboxClock clock;

    /** Creates or replaces the account; replacing it starts a fresh catalog (overrides dropped). */
    @Transactional
    public void put(PoolAccount account) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("delete from pool_account where member_id = ?");
             PreparedStatement insert = connection.prepareStatement("""
                     insert into pool_account (member_id, api_secret, authorized_ips, currency, balance, credit_limit,
                                               catalog_size, seed, created_at)
                     values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            delete.setString(1, account.memberId());
            delete.executeUpdate();
            insert.setString(1, account.memberId());
            insert.setString(2, account.apiSecret());
            insert.setString(3, account.authorizedIps());
            insert.setString(4, account.currency());
            insert.setBigDecimal(5, account.balance());
            insert.setBigDecimal(6, account.creditLimit());
            insert.setInt(7, account.catalogSize());
            insert.setLong(8, account.seed());
            insert.setTimestamp(9, Timestamp.from(clock.now()));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<PoolAccount> find(String memberId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     select member_id, api_secret, authorized_ips, currency, balance, credit_limit, catalog_size, seed
                     from pool_account where member_id = ?""")) {
            select.setString(1, memberId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new PoolAccount(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getBigDecimal(5), row.getBigDecimal(6), row.getInt(7), row.getLong(8)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One page (numbered from 1) in item order; removed items leave the page short rather than shifting later pages. */
    public Page page(PoolAccount account, ResourceType type, int page, int pageSize) {
        int generated = type.generatedCount(account.catalogSize());
        int from = (page - 1) * pageSize;
        try (Connection connection = dataSource.getConnection()) {
            int total = Math.max(generated, maxIndex(connection, account.memberId(), type) + 1);
            int to = Math.min(total, from + pageSize);
            Map<Integer, Override> overrides = overrides(connection, account.memberId(), type, from, to);
            List<CatalogItem> items = new ArrayList<>();
            for (int index = from; index < to; index++) {
                Override override = overrides.get(index);
                if (override != null && override.removed()) {
                    continue;
                }
                items.add(override == null ? generate(account, type, index)
                        : new CatalogItem(type.itemId(index), override.name(), zoneOf(account, type, index),
                                specOf(account, type, index), override.price(), account.currency()));
            }
            return new Page(page, pageSize, Math.max(1, (total + pageSize - 1) / pageSize), items);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Changes the catalog of one type: the next {@code changed} generated items get a new name and a higher price, the
     * {@code removed} after them disappear, and {@code added} new items follow the last one. Each call takes items no
     * earlier call touched, so the differences of consecutive calls add up exactly.
     */
    @Transactional
    public Changes change(PoolAccount account, ResourceType type, int added, int changed, int removed) {
        int generated = type.generatedCount(account.catalogSize());
        try (Connection connection = dataSource.getConnection()) {
            int cursor;
            try (PreparedStatement select = connection.prepareStatement(
                    "select change_cursor from pool_account where member_id = ? for update")) {
                select.setString(1, account.memberId());
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    cursor = row.getInt(1);
                }
            }
            // the cursor is shared by all types; indices of each type are taken from it
            if (cursor + changed + removed > generated) {
                throw new IllegalArgumentException("Only " + Math.max(0, generated - cursor) + " untouched " + type.path()
                        + " remain to change or remove; ask for fewer or reset the account.");
            }
            int total = Math.max(generated, maxIndex(connection, account.memberId(), type) + 1);
            try (PreparedStatement upsert = connection.prepareStatement("""
                    insert into pool_item_override (member_id, resource_type, item_index, removed, name, price)
                    values (?, ?, ?, ?, ?, ?)
                    on conflict (member_id, resource_type, item_index)
                    do update set removed = excluded.removed, name = excluded.name, price = excluded.price""")) {
                for (int i = 0; i < changed; i++) {
                    CatalogItem item = generate(account, type, cursor + i);
                    addOverride(upsert, account, type, cursor + i, false, item.name() + " (revised)", item.price().add(BigDecimal.ONE));
                }
                for (int i = 0; i < removed; i++) {
                    addOverride(upsert, account, type, cursor + changed + i, true, null, null);
                }
                for (int i = 0; i < added; i++) {
                    CatalogItem item = generate(account, type, total + i);
                    addOverride(upsert, account, type, total + i, false, item.name() + " (new)", item.price());
                }
                upsert.executeBatch();
            }
            try (PreparedStatement advance = connection.prepareStatement(
                    "update pool_account set change_cursor = change_cursor + ? where member_id = ?")) {
                advance.setInt(1, changed + removed);
                advance.setString(2, account.memberId());
                advance.executeUpdate();
            }
            return new Changes(added, changed, removed);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static CatalogItem generate(PoolAccount account, ResourceType type, int index) {
        long h = mix(account.seed() ^ ((long) type.ordinal() << 48) ^ index);
        String name = switch (type) {
            case ZONE -> "Zone " + (char) ('A' + index % 26) + (index / 26 + 1);
            case OS -> List.of("Ubuntu", "Debian", "Rocky Linux", "AlmaLinux", "Windows Server", "FreeBSD").get(index % 6)
                    + " " + (20 + index / 6) + "." + (h & 3);
            case CLOUD_SERVER_LINE -> "Cloud server line " + index;
            case HOSTING_LINE -> "Hosting line " + index;
            case HOSTING_POWER -> "Hosting power " + (100 + (h & 7) * 50) + " W #" + index;
            case BARE_METAL_LINE -> "Bare-metal line " + index;
            case BARE_METAL_DISK -> "Disk model " + (240L << (h & 7)) + " GB #" + index;
        };
        BigDecimal price = BigDecimal.valueOf(100 + Math.floorMod(h >>> 8, 50_000L), 2).setScale(4, RoundingMode.UNNECESSARY);
        return new CatalogItem(type.itemId(index), name, zoneOf(account, type, index), specOf(account, type, index), price,
                account.currency());
    }

    private static String zoneOf(PoolAccount account, ResourceType type, int index) {
        if (type.base()) {
            return null;
        }
        return ResourceType.ZONE.itemId((int) Math.floorMod(mix(account.seed() + index), ResourceType.ZONES));
    }

    private static String specOf(PoolAccount account, ResourceType type, int index) {
        long h = mix(account.seed() * 31 + index);
        return switch (type) {
            case ZONE, OS -> null;
            case CLOUD_SERVER_LINE, BARE_METAL_LINE -> (1 << (h & 5)) + " vCPU / " + (2 << ((h >>> 4) & 6)) + " GB";
            case HOSTING_LINE -> (1 + (h & 15)) + " U";
            case HOSTING_POWER -> "A/B feed";
            case BARE_METAL_DISK -> (h & 1) == 0 ? "SSD" : "HDD";
        };
    }

    /** SplitMix64's finaliser: a well-spread hash of a long. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static void addOverride(PreparedStatement upsert, PoolAccount account, ResourceType type, int index, boolean removed,
                                    String name, BigDecimal price) throws SQLException {
        upsert.setString(1, account.memberId());
        upsert.setString(2, type.name());
        upsert.setInt(3, index);
        upsert.setBoolean(4, removed);
        upsert.setString(5, name);
        upsert.setBigDecimal(6, price);
        upsert.addBatch();
    }

    private static int maxIndex(Connection connection, String memberId, ResourceType type) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select coalesce(max(item_index), -1) from pool_item_override where member_id = ? and resource_type = ?")) {
            select.setString(1, memberId);
            select.setString(2, type.name());
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    private static Map<Integer, Override> overrides(Connection connection, String memberId, ResourceType type, int from, int to)
            throws SQLException {
        Map<Integer, Override> overrides = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select item_index, removed, name, price from pool_item_override
                where member_id = ? and resource_type = ? and item_index >= ? and item_index < ?""")) {
            select.setString(1, memberId);
            select.setString(2, type.name());
            select.setInt(3, from);
            select.setInt(4, to);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    overrides.put(rows.getInt(1), new Override(rows.getBoolean(2), rows.getString(3), rows.getBigDecimal(4)));
                }
            }
        }
        return overrides;
    }
}
