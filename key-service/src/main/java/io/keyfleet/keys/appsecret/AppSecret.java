package io.keyfleet.keys.appsecret;

import io.keyfleet.keys.api.AppSecretType;

import io.keyfleet.keys.api.Environment;
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

/** A symmetric secret of an app for one provider, environment and type; its bytes live in {@link AppSecretVersion}s' secret refs. */
@Entity
@Table(name = "app_secret")
public class AppSecret extends PanacheEntityBase {

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

    /** Column "type"; named otherwise here because TYPE is a function in HQL. */
    @Enumerated(EnumType.STRING)
    @Column(name = "type", nullable = false)
    public AppSecretType secretType;

    @Column(name = "current_version", nullable = false)
    public int currentVersion;

    @Column(name = "grace_period_seconds", nullable = false)
    public long gracePeriodSeconds;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public Duration gracePeriod() {
        return Duration.ofSeconds(gracePeriodSeconds);
    }
}
