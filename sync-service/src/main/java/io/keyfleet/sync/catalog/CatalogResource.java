package io.keyfleet.sync.catalog;

import io.keyfleet.auth.Scopes;
import io.keyfleet.events.PriceProtectionTriggered;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.kit.outbox.Outbox;
import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.sync.pool.Pool;
import io.keyfleet.sync.pool.PoolService;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/pools/{poolId}")
@Tag(name = "Catalog", description = "The synced catalog of a pool, for other platforms; selling prices and the custom selection")
public class CatalogResource {

    public record CatalogEntry(String item, String id, String name, String zoneId, String spec, BigDecimal cost, String currency,
                               BigDecimal price, BigDecimal sellingPrice, boolean priceFlagged, boolean selected, boolean removed,
                               Instant syncedAt) {
    }

    /** Keyset paging: pass nextAfter as after for the next page. */
    public record CatalogPage(List<CatalogEntry> entries, String nextAfter) {
    }

    public record SellingPrice(BigDecimal sellingPrice) {
    }

    public record Selection(String item, List<String> selectedIds) {
    }

    private static final String SELECT = "select item_id, name, zone_id, spec, cost, currency, price, selling_price, price_flagged, "
            + "selected, removed, synced_at from catalog_item where pool_id = ? and resource_type = ?";

    @Inject
    DataSource dataSource;

    @Inject
    PoolService pools;

    @Inject
    Caller caller;

    @Inject
    Outbox outbox;

    @GET
    @Path("/catalog")
    @RequiresScope(Scopes.SYNC_READ)
    @Operation(summary = "Synced items of one kind, filtered and paged by id",
            description = "item (required, e.g. cloud-server-lines); search in name; zoneId; flagged=true for price-protected items; "
                    + "removed=true to include items removed upstream; selectedOnly=true; after = the last id of the previous page; size ≤ 1000.")
    public CatalogPage list(@PathParam("poolId") UUID poolId, @QueryParam("item") String item, @QueryParam("search") String search,
                            @QueryParam("zoneId") String zoneId, @QueryParam("flagged") Boolean flagged,
                            @QueryParam("removed") Boolean removed, @QueryParam("selectedOnly") Boolean selectedOnly,
                            @QueryParam("after") String after, @QueryParam("size") Integer size) {
        pools.find(caller.tenantId(), poolId);
        CatalogType type = type(item);
        int limit = size == null ? 100 : size;
        if (limit < 1 || limit > 1000) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "size: 1-1000.");
        }
        StringBuilder sql = new StringBuilder(SELECT + " and item_id > ?");
        List<Object> params = new ArrayList<>(List.of(poolId, type.name(), after == null ? "" : after));
        if (!Boolean.TRUE.equals(removed)) {
            sql.append(" and not removed");
        }
        if (Boolean.TRUE.equals(flagged)) {
            sql.append(" and price_flagged");
        }
        if (Boolean.TRUE.equals(selectedOnly)) {
            sql.append(" and selected");
        }
        if (zoneId != null) {
            sql.append(" and zone_id = ?");
            params.add(zoneId);
        }
        if (search != null && !search.isBlank()) {
            sql.append(" and lower(name) like ?");
            params.add("%" + search.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        sql.append(" order by item_id limit ").append(limit);
        List<CatalogEntry> entries = query(type, sql.toString(), params);
        return new CatalogPage(entries, entries.size() == limit ? entries.get(entries.size() - 1).id() : null);
    }

    @PUT
    @Path("/catalog/{item}/{itemId}/selling-price")
    @RequiresScope(Scopes.SYNC_WRITE)
    @Transactional
    @Operation(summary = "Set the platform's selling price of an item; with price protection, a cost above it flags the item")
    public CatalogEntry sellingPrice(@PathParam("poolId") UUID poolId, @PathParam("item") String item, @PathParam("itemId") String itemId,
                                     SellingPrice request) {
        Pool pool = pools.find(caller.tenantId(), poolId);
        CatalogType type = type(item);
        if (request == null || request.sellingPrice() == null || request.sellingPrice().signum() < 0) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "sellingPrice: 0 or more, in the platform's currency.");
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("""
                     update catalog_item set selling_price = ?, price_flagged = (? and price > ?)
                     where pool_id = ? and resource_type = ? and item_id = ? returning price, price_flagged""")) {
            update.setBigDecimal(1, request.sellingPrice());
            update.setBoolean(2, pool.priceProtection());
            update.setBigDecimal(3, request.sellingPrice());
            update.setObject(4, poolId);
            update.setString(5, type.name());
            update.setString(6, itemId);
            try (ResultSet row = update.executeQuery()) {
                if (!row.next()) {
                    throw ProblemException.notFound("CATALOG_ITEM_NOT_FOUND", "No " + type.path() + " item " + itemId + " in this pool.");
                }
                if (row.getBoolean(2)) {
                    outbox.record(pool.tenantId(), new PriceProtectionTriggered(poolId.toString(), type.path(), itemId,
                            row.getBigDecimal(1).toPlainString(), request.sellingPrice().toPlainString()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return query(type, SELECT + " and item_id = ?", List.of(poolId, type.name(), itemId)).get(0);
    }

    @PUT
    @Path("/selection")
    @RequiresScope(Scopes.SYNC_WRITE)
    @Transactional
    @Operation(summary = "Save a custom selection of lines for one item",
            description = "Until a selection is saved for an item every line of it is selected; afterwards that item's lines the pool "
                    + "authorizes later start unselected. Other items are not affected.")
    public Selection select(@PathParam("poolId") UUID poolId, Selection request) {
        pools.find(caller.tenantId(), poolId);
        if (request == null || request.selectedIds() == null || request.selectedIds().size() > 100_000) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "selectedIds: the ids of the lines to sell (at most 100,000).");
        }
        CatalogType type = type(request.item());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement pool = connection.prepareStatement("update pool set custom_selection_items = array_append(custom_selection_items, ?) "
                     + "where id = ? and not (? = any (custom_selection_items))");
             PreparedStatement update = connection.prepareStatement(
                     "update catalog_item set selected = (item_id = any (?)) where pool_id = ? and resource_type = ? "
                             + "and selected <> (item_id = any (?))")) {
            pool.setString(1, type.path());
            pool.setObject(2, poolId);
            pool.setString(3, type.path());
            pool.executeUpdate();
            Array ids = connection.createArrayOf("varchar", request.selectedIds().toArray());
            update.setArray(1, ids);
            update.setObject(2, poolId);
            update.setString(3, type.name());
            update.setArray(4, ids);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Selection(type.path(), request.selectedIds());
    }

    private List<CatalogEntry> query(CatalogType type, String sql, List<Object> params) {
        List<CatalogEntry> entries = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                select.setObject(i + 1, params.get(i));
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

    private static CatalogType type(String item) {
        if (item == null) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "item: one of " + CatalogType.names() + ".");
        }
        return CatalogType.of(item).orElseThrow(() -> ProblemException.badRequest("VALIDATION_FAILED",
                "item: '" + item + "' is not one of " + CatalogType.names() + "."));
    }
}
