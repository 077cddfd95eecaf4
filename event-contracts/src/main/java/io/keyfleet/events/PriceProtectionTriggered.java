package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
/**
 * A synced item's converted cost is above the platform's selling price; the item is flagged instead of selling at a loss.
 * Amounts are decimal strings in the platform's currency (exact, unlike JSON numbers).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PriceProtectionTriggered(String poolId, String item, String itemId, String cost, String sellingPrice)
        implements DomainEvent {

    public PriceProtectionTriggered {
        Checks.text(poolId, "poolId");
        Checks.text(item, "item");
        Checks.text(itemId, "itemId");
        Checks.text(cost, "cost");
        Checks.text(sellingPrice, "sellingPrice");
    }

    @Override
    public String aggregateId() {
        return poolId;
    }
}
