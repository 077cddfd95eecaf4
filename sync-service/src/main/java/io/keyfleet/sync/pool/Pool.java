package io.keyfleet.sync.pool;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A registered upstream pool as stored; the API secret is in key-service (secretVersion). customSelectionItems are the
 * catalog items (e.g. cloud-server-lines) with a saved custom selection: their later lines start unselected.
 */
public record Pool(UUID id, String tenantId, String providerName, String type, String memberId, String apiBaseUrl,
                   List<String> authorizedIps, boolean priceProtection, BigDecimal exchangeRate, String remark, int secretVersion,
                   List<String> customSelectionItems, Integer syncIntervalMinutes, PoolHealth health, String healthMessage, Instant checkedAt,
                   Instant createdAt, Instant updatedAt) {

    public boolean hasCustomSelection(String item) {
        return customSelectionItems.contains(item);
    }
}
