package io.keyfleet.tokens.grant;

import io.keyfleet.tokens.upstream.AppRef;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * An authorization code that was presented for exchange, as its SHA-256 only, by one tenant for one app (provider, app
 * id, environment). An empty provider, app id and environment mean the app is unknown (rows from before the app was
 * recorded); such a row stands for every app of its tenant.
 */
@Entity
@Table(name = "exchanged_code")
@IdClass(ExchangedCode.Key.class)
public class ExchangedCode extends PanacheEntityBase {

    /** The app of a code recorded before apps were: it matches every app. */
    static final String UNKNOWN = "";

    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    @Id
    @Column(name = "provider")
    public String provider;

    @Id
    @Column(name = "app_id")
    public String appId;

    @Id
    @Column(name = "environment")
    public String environment;

    @Id
    @Column(name = "code_hash")
    public String codeHash;

    /** The grant the code produced; null while the exchange is under way. */
    @Column(name = "grant_id")
    public String grantId;

    @Column(name = "exchanged_at", nullable = false)
    public Instant exchangedAt;

    @Column(name = "replayed_at")
    public Instant replayedAt;

    /** Whether this presentation was made for the app (or for an unknown app). */
    boolean isFor(AppRef app) {
        return provider.equals(UNKNOWN)
                || (provider.equals(app.provider()) && appId.equals(app.appId()) && environment.equals(app.environment()));
    }

    static Key key(AppRef app, String codeHash) {
        return new Key(app.tenantId(), app.provider(), app.appId(), app.environment(), codeHash);
    }

    /** The primary key: tenant, app and code. */
    public static class Key implements Serializable {
        public String tenantId;
        public String provider;
        public String appId;
        public String environment;
        public String codeHash;

        public Key() {
        }

        Key(String tenantId, String provider, String appId, String environment, String codeHash) {
            this.tenantId = tenantId;
            this.provider = provider;
            this.appId = appId;
            this.environment = environment;
            this.codeHash = codeHash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && tenantId.equals(key.tenantId) && provider.equals(key.provider)
                    && appId.equals(key.appId) && environment.equals(key.environment) && codeHash.equals(key.codeHash);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, provider, appId, environment, codeHash);
        }
    }
}
