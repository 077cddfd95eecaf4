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
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies one upstream page to the catalog in one transaction, writing only what differs. Upstream pages come in
 * ascending id order, so a page also settles the id range since the previous page: rows in that range the page lacks
 * were removed upstream and are marked removed. Memory is one page, whatever the catalog size.
 */
@ApplicationScoped
public class CatalogWriter {

    public record Counts(int seen, int created, int updated, int removed) {
    }

    @Inject
    CatalogItemTable table;

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
        Map<String, CatalogItemTable.Existing> existing = table.existing(pool.id, type, afterId, last ? null : upTo);
        int created = 0;
        int updated = 0;
        Set<String> seen = new HashSet<>();
        List<CatalogItemTable.Upsert> upserts = new ArrayList<>();
        for (PoolApiClient.Item item : items) {
            seen.add(item.id());
            BigDecimal price = item.price().multiply(pool.exchangeRate).setScale(4, RoundingMode.HALF_UP);
            String hash = hash(item, pool.exchangeRate);
            CatalogItemTable.Existing old = existing.get(item.id());
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
            boolean flagged = pool.priceProtection && selling != null && price.compareTo(selling) > 0;
            if (flagged && (old == null || !old.flagged())) {
                outbox.record(pool.tenantId, new PriceProtectionTriggered(pool.id.toString(), type.path(), item.id(),
                        price.toPlainString(), selling.toPlainString()));
            }
            upserts.add(new CatalogItemTable.Upsert(item.id(), item.name(), item.zoneId(), item.spec(), item.price(),
                    item.currency() == null ? "USD" : item.currency(), price, flagged, selected, hash));
            if (old == null) {
                created++;
            } else {
                updated++;
            }
        }
        table.upsert(pool.id, type, upserts, Instant.now());
        List<String> gone = new ArrayList<>();
        existing.forEach((id, row) -> {
            if (!row.removed() && !seen.contains(id) && (!selectedOnly || type.base() || row.selected())) {
                gone.add(id);
            }
        });
        table.markRemoved(pool.id, type, gone);
        return new Counts(items.size(), created, updated, gone.size());
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
