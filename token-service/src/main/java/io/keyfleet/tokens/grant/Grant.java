package io.keyfleet.tokens.grant;

import io.keyfleet.tokens.upstream.AppRef;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A merchant's authorization of a tenant's app at a provider, with its current tokens (encrypted, see TokenCipher). */
@Entity
@Table(name = "token_grant")
public class Grant extends PanacheEntityBase {

    public static final String ACCESS = "access";
    public static final String REFRESH = "refresh";
    public static final String PREVIOUS_REFRESH = "previous-refresh";

    @Id
    public String id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(nullable = false)
    public String provider;

    @Column(name = "app_id", nullable = false)
    public String appId;

    @Column(nullable = false)
    public String environment;

    @Column(name = "merchant_id", nullable = false)
    public String merchantId;

    @Column(name = "auth_app_id")
    public String authAppId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public GrantStatus status;

    @Column(name = "code_hash")
    public String codeHash;

    @Column(name = "access_token_enc")
    public byte[] accessTokenEnc;

    @Column(name = "refresh_token_enc")
    public byte[] refreshTokenEnc;

    @Column(name = "access_expires_at")
    public Instant accessExpiresAt;

    @Column(name = "refresh_expires_at")
    public Instant refreshExpiresAt;

    /** The refresh token before the last refresh, kept while the provider may still honour it. */
    @Column(name = "previous_refresh_enc")
    public byte[] previousRefreshEnc;

    /** The previous refresh token's own expiry: the provider honours it (re_expires_in after use) until then at most. */
    @Column(name = "previous_refresh_until")
    public Instant previousRefreshUntil;

    /** The token version: 1 at the first exchange, +1 per refresh or re-authorization. */
    @Column(nullable = false)
    public int generation;

    @Column(name = "next_refresh_at")
    public Instant nextRefreshAt;

    @Column(name = "lease_owner")
    public String leaseOwner;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "failed_attempts", nullable = false)
    public int failedAttempts;

    @Column(name = "failing_since")
    public Instant failingSince;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public AppRef app() {
        return new AppRef(tenantId, provider, appId, environment);
    }

    public void eraseTokens() {
        accessTokenEnc = null;
        refreshTokenEnc = null;
        previousRefreshEnc = null;
        previousRefreshUntil = null;
        nextRefreshAt = null;
        leaseOwner = null;
        leaseUntil = null;
    }
}
