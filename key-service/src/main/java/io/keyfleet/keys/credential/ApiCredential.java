package io.keyfleet.keys.credential;

import io.keyfleet.auth.Scopes;
import io.keyfleet.auth.IpWhitelist;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** An API credential of a tenant; its secrets (hashes or secret-store references) are {@link ApiCredentialSecret}s. */
@Entity
@Table(name = "api_credential")
public class ApiCredential extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public CredentialKind kind;

    /** Live (production) or test; decides an API key's type prefix. */
    @Column(nullable = false)
    public boolean live;

    /** The public SecretId of a SECRET_PAIR; null for API keys. */
    @Column(name = "secret_id")
    public String secretId;

    /** Comma-separated, from {@link Scopes#ALL}. */
    @Column(nullable = false)
    public String scopes;

    /** Comma-separated entries of an {@link IpWhitelist}; null means any address. */
    @Column(name = "ip_whitelist")
    public String ipWhitelist;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "callback_url")
    public String callbackUrl;

    public String remark;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "current_version", nullable = false)
    public int currentVersion;

    @Column(name = "grace_period_seconds", nullable = false)
    public long gracePeriodSeconds;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoke_reason")
    public String revokeReason;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** "admin" or "service:&lt;name&gt;" for the credentials key-service makes itself at start; null for all others. */
    @Column(name = "bootstrap_name")
    public String bootstrapName;

    /** The last expiry warning published for expiresAt: 30, 7, or null for none yet. */
    @Column(name = "expiry_warned_days")
    public Integer expiryWarnedDays;

    public List<String> scopeList() {
        return Arrays.asList(scopes.split(","));
    }

    public IpWhitelist whitelist() {
        return IpWhitelist.parse(ipWhitelist);
    }

    public Duration gracePeriod() {
        return Duration.ofSeconds(gracePeriodSeconds);
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }
}
