package io.keyfleet.sync.catalog;

import io.keyfleet.events.PriceProtectionTriggered;
import io.keyfleet.kit.outbox.Outbox;
import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.sync.catalog.CatalogResource.CatalogEntry;
import io.keyfleet.sync.pool.Pool;
import io.keyfleet.sync.pool.Pools;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.util.List;

/** A pool's synced catalog as the API shows it: pages of items, selling prices, the custom selection per item. */
@ApplicationScoped
public class CatalogItems {

    @Inject
    CatalogItemTable table;

    @Inject
    Pools pools;

    @Inject
    Outbox outbox;

    @Transactional
    public List<CatalogEntry> page(Pool pool, CatalogType type, String after, CatalogItemTable.Filter filter, int limit) {
        return table.page(pool.id, type, after == null ? "" : after, filter, limit);
    }

    /** Sets the platform's selling price; with price protection a price above it flags the item (PriceProtectionTriggered). */
    @Transactional
    public CatalogEntry setSellingPrice(Pool pool, CatalogType type, String itemId, BigDecimal sellingPrice) {
        CatalogItemTable.Repriced repriced = table.setSellingPrice(pool.id, type, itemId, sellingPrice, pool.priceProtection)
                .orElseThrow(() -> ProblemException.notFound("CATALOG_ITEM_NOT_FOUND", "No " + type.path() + " item " + itemId
                        + " in this pool."));
        if (repriced.flagged()) {
            outbox.record(pool.tenantId, new PriceProtectionTriggered(pool.id.toString(), type.path(), itemId,
                    repriced.price().toPlainString(), sellingPrice.toPlainString()));
        }
        return table.find(pool.id, type, itemId).orElseThrow();
    }

    /** Saves the item's custom selection: exactly these lines are selected, and the item's later lines start unselected. */
    @Transactional
    public void select(Pool pool, CatalogType type, List<String> selectedIds) {
        pools.addCustomSelection(pool.id, type.path());
        table.select(pool.id, type, selectedIds);
    }
}
