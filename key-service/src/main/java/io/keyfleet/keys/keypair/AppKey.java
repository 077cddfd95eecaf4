package io.keyfleet.keys.keypair;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
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

    @Column(name = "current_version", nullable = false)
    public int currentVersion;

    @Column(name = "grace_period_seconds", nullable = false)
    public long gracePeriodSeconds;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
