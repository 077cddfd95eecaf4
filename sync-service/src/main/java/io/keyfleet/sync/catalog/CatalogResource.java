package io.keyfleet.sync.catalog;

import io.keyfleet.auth.Scopes;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.sync.pool.Pool;
import io.keyfleet.sync.pool.Pools;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
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

    @Inject
    Pools pools;

    @Inject
    CatalogItems catalog;

    @Inject
    Caller caller;

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
        Pool pool = pools.find(caller.tenantId(), poolId);
        CatalogType type = type(item);
        int limit = size == null ? 100 : size;
        if (limit < 1 || limit > 1000) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "size: 1-1000.");
        }
        List<CatalogEntry> entries = catalog.page(pool, type, after, new CatalogItemTable.Filter(Boolean.TRUE.equals(removed),
                Boolean.TRUE.equals(flagged), Boolean.TRUE.equals(selectedOnly), zoneId, search == null || search.isBlank() ? null : search),
                limit);
        return new CatalogPage(entries, entries.size() == limit ? entries.get(entries.size() - 1).id() : null);
    }

    @PUT
    @Path("/catalog/{item}/{itemId}/selling-price")
    @RequiresScope(Scopes.SYNC_WRITE)
    @Operation(summary = "Set the platform's selling price of an item; with price protection, a cost above it flags the item")
    public CatalogEntry sellingPrice(@PathParam("poolId") UUID poolId, @PathParam("item") String item, @PathParam("itemId") String itemId,
                                     SellingPrice request) {
        Pool pool = pools.find(caller.tenantId(), poolId);
        CatalogType type = type(item);
        if (request == null || request.sellingPrice() == null || request.sellingPrice().signum() < 0) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "sellingPrice: 0 or more, in the platform's currency.");
        }
        return catalog.setSellingPrice(pool, type, itemId, request.sellingPrice());
    }

    @PUT
    @Path("/selection")
    @RequiresScope(Scopes.SYNC_WRITE)
    @Operation(summary = "Save a custom selection of lines for one item",
            description = "Until a selection is saved for an item every line of it is selected; afterwards that item's lines the pool "
                    + "authorizes later start unselected. Other items are not affected.")
    public Selection select(@PathParam("poolId") UUID poolId, Selection request) {
        Pool pool = pools.find(caller.tenantId(), poolId);
        if (request == null || request.selectedIds() == null || request.selectedIds().size() > 100_000) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "selectedIds: the ids of the lines to sell (at most 100,000).");
        }
        CatalogType type = type(request.item());
        catalog.select(pool, type, request.selectedIds());
        return new Selection(type.path(), request.selectedIds());
    }

    private static CatalogType type(String item) {
        if (item == null) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "item: one of " + CatalogType.names() + ".");
        }
        return CatalogType.of(item).orElseThrow(() -> ProblemException.badRequest("VALIDATION_FAILED",
                "item: '" + item + "' is not one of " + CatalogType.names() + "."));
    }
}
