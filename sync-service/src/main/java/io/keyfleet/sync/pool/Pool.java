package io.keyfleet.sync.pool;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A registered upstream pool; the API secret is in key-service (secretVersion). customSelectionItems are the catalog
 * items (e.g. cloud-server-lines) with a saved custom selection: their later lines start unselected. A deleted pool
 * keeps its row (deletedAt), for the catalog and jobs that name it.
 */
@Entity
@Table(name = "pool")
public class Pool extends PanacheEntityBase {

    /** Pools with a schedule whose interval has passed since their last scheduled run. */
    static final String DUE_FOR_SCHEDULE = "select * from pool where deleted_at is null and sync_interval_minutes is not null"
            + " and (last_scheduled_at is null or last_scheduled_at + make_interval(mins => sync_interval_minutes) <= :now)";

    /** Takes the pool's due scheduled run: one row changed for exactly one caller per due interval. */
    static final String CLAIM_SCHEDULED = "update pool set last_scheduled_at = :now where id = :id and deleted_at is null"
            + " and sync_interval_minutes is not null"
            + " and (last_scheduled_at is null or last_scheduled_at + make_interval(mins => sync_interval_minutes) <= :now)";

    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "provider_name", nullable = false)
    public String providerName;

    @Column(name = "pool_type", nullable = false)
    public String type;

    @Column(name = "member_id", nullable = false)
    public String memberId;

    @Column(name = "api_base_url", nullable = false)
    public String apiBaseUrl;

    @Convert(converter = IpList.class)
    @Column(name = "authorized_ips")
    public List<String> authorizedIps = List.of();

    @Column(name = "price_protection", nullable = false)
    public boolean priceProtection;

    @Column(name = "exchange_rate", nullable = false)
    public BigDecimal exchangeRate;

    public String remark;

    @Column(name = "secret_version", nullable = false)
    public int secretVersion;

    @Column(name = "custom_selection_items", nullable = false)
    public String[] customSelectionItems = new String[0];

    @Column(name = "sync_interval_minutes")
    public Integer syncIntervalMinutes;

    @Column(name = "last_scheduled_at")
    public Instant lastScheduledAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public PoolHealth health;

    @Column(name = "health_message")
    public String healthMessage;

    @Column(name = "checked_at")
    public Instant checkedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    public boolean hasCustomSelection(String item) {
        return Arrays.asList(customSelectionItems).contains(item);
    }

    /** Takes the definition, secret version, schedule and health of {@code other} (not its schedule runs or deletion). */
    void takeDefinitionOf(Pool other) {
        providerName = other.providerName;
        type = other.type;
        memberId = other.memberId;
        apiBaseUrl = other.apiBaseUrl;
        authorizedIps = other.authorizedIps;
        priceProtection = other.priceProtection;
        exchangeRate = other.exchangeRate;
        remark = other.remark;
        secretVersion = other.secretVersion;
        customSelectionItems = other.customSelectionItems;
        syncIntervalMinutes = other.syncIntervalMinutes;
        health = other.health;
        healthMessage = other.healthMessage;
        checkedAt = other.checkedAt;
        createdAt = other.createdAt;
        updatedAt = other.updatedAt;
    }

    /** authorized_ips: the entries joined with commas, null for none. */
    public static class IpList implements AttributeConverter<List<String>, String> {
        @Override
        public String convertToDatabaseColumn(List<String> ips) {
            return ips == null || ips.isEmpty() ? null : String.join(",", ips);
        }

        @Override
        public List<String> convertToEntityAttribute(String text) {
            return text == null ? List.of() : List.of(text.split(","));
        }
    }
}
