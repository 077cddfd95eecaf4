package io.keyfleet.keys.appsecret;

import io.keyfleet.keys.api.KeyState;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One version of an app secret: CURRENT, PREVIOUS (usable until valid_until) or RETIRED (its secret destroyed). */
@Entity
@Table(name = "app_secret_version")
@IdClass(AppSecretVersion.VersionId.class)
public class AppSecretVersion extends PanacheEntityBase {

    public record VersionId(UUID secretId, int version) implements Serializable {
        public VersionId() {
            this(null, 0);
        }
    }

    /** GENERATED here, or IMPORTED (given by the provider's console, e.g. Alipay's encrypt_key). */
    public enum Origin {
        GENERATED, IMPORTED
    }

    @Id
    @Column(name = "secret_id")
    public UUID secretId;

    @Id
    public int version;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public KeyState state;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Origin origin;

    @Column(name = "key_bits", nullable = false)
    public int keyBits;

    /** Where the secret is in the secret store; null once RETIRED. */
    @Column(name = "secret_ref")
    public String secretRef;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** For a PREVIOUS version: the end of its grace period. */
    @Column(name = "valid_until")
    public Instant validUntil;

    @Column(name = "retired_at")
    public Instant retiredAt;

    /** CURRENT, or PREVIOUS within its grace period. */
    public boolean usable(Instant now) {
        return secretRef != null && (state == KeyState.CURRENT || (state == KeyState.PREVIOUS && validUntil != null && validUntil.isAfter(now)));
    }

    public static List<AppSecretVersion> of(UUID secretId) {
        return list("secretId = ?1 order by version", secretId);
    }

    public static AppSecretVersion find(UUID secretId, int version) {
        return findById(new VersionId(secretId, version));
    }
}
