package io.keyfleet.keys.keypair;

import io.keyfleet.keys.api.Environment;

import io.keyfleet.keys.material.KeyAlgorithm;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** An app's key for one provider and environment; its material lives in {@link AppKeyVersion}s. */
@Entity
@Table(name = "app_key")
public class AppKey extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(nullable = false)
    public String provider;

    @Column(name = "app_id", nullable = false)
    public String appId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Environment environment;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public KeyAlgorithm algorithm;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public KeyOrigin origin;

    @Column(name = "current_version", nullable = false)
    public int currentVersion;

    @Column(name = "grace_period_seconds", nullable = false)
    public long gracePeriodSeconds;

    /** Auto-rotation: a new version after this many days (null = never). */
    @Column(name = "rotate_after_days")
    public Integer rotateAfterDays;

    /** KeyExpiring is sent this many days before the rotation is due (null = no warning). */
    @Column(name = "warn_days_before")
    public Integer warnDaysBefore;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public Duration gracePeriod() {
        return Duration.ofSeconds(gracePeriodSeconds);
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }
}
