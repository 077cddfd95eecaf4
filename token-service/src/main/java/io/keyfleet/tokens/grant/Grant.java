package io.keyfleet.tokens.grant;

import io.keyfleet.tokens.crypto.TokenCipher;
import io.keyfleet.tokens.upstream.AppRef;
import io.keyfleet.tokens.upstream.GatewayVersion;
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

    /** The provider gateway the grant was exchanged through; its refreshes go through it too. */
    @Enumerated(EnumType.STRING)
    @Column(name = "gateway_version", nullable = false)
    public GatewayVersion gatewayVersion;

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

    /** The token key the three token columns are encrypted under (see TokenCipher). */
    @Column(name = "token_key_id", nullable = false)
    public int tokenKeyId;

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
        return new AppRef(tenantId, provider, appId, environment, gatewayVersion);
    }

    /** Stores the three tokens (null: none) encrypted under the active token key, which the row then names. */
    public void storeTokens(TokenCipher cipher, String access, String refresh, String previousRefresh) {
        accessTokenEnc = cipher.encrypt(access, id, ACCESS);
        refreshTokenEnc = cipher.encrypt(refresh, id, REFRESH);
        previousRefreshEnc = cipher.encrypt(previousRefresh, id, PREVIOUS_REFRESH);
        tokenKeyId = cipher.keys().activeId();
    }

    /** The same tokens under the active token key. */
    public void reencrypt(TokenCipher cipher) {
        storeTokens(cipher, accessToken(cipher), refreshToken(cipher), previousRefreshToken(cipher));
    }

    public String accessToken(TokenCipher cipher) {
        return cipher.decrypt(accessTokenEnc, tokenKeyId, id, ACCESS);
    }

    public String refreshToken(TokenCipher cipher) {
        return cipher.decrypt(refreshTokenEnc, tokenKeyId, id, REFRESH);
    }

    public String previousRefreshToken(TokenCipher cipher) {
        return cipher.decrypt(previousRefreshEnc, tokenKeyId, id, PREVIOUS_REFRESH);
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
