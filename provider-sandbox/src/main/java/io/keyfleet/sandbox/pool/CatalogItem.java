package io.keyfleet.sandbox.pool;

import java.math.BigDecimal;

/** One item of a list; zoneId is null for zones themselves and for operating systems. price is the cost in the pool's currency. */
public record CatalogItem(String id, String name, String zoneId, String spec, BigDecimal price, String currency) {
}
