package io.keyfleet.sync.pool;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A registered upstream pool as stored; the API secret is in key-service (secretVersion). */
public record Pool(UUID id, String tenantId, String providerName, String type, String memberId, String apiBaseUrl,
                   List<String> authorizedIps, boolean priceProtection, BigDecimal exchangeRate, String remark, int secretVersion,
                   boolean customSelection, Integer syncIntervalMinutes, PoolHealth health, String healthMessage, Instant checkedAt,
                   Instant createdAt, Instant updatedAt) {
}
