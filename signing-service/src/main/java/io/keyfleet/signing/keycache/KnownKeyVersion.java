package io.keyfleet.signing.keycache;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/** A key version as key-service holds it, read when a key event named its key: public material and lifecycle state only. */
@Entity
@Table(name = "key_version")
@IdClass(KnownKeyVersion.VersionId.class)
public class KnownKeyVersion extends PanacheEntityBase {

    public record VersionId(String keyId, int version) implements Serializable {
        public VersionId() {
            this(null, 0);
        }
    }

    public static final String CURRENT = "CURRENT";
    public static final String PREVIOUS = "PREVIOUS";
    public static final String REVOKED = "REVOKED";

    /** The state here of a version in key-service's state: RETIRED (revoked, or its grace ended) is REVOKED. */
    public static String stateOf(String keyServiceState) {
        return "RETIRED".equals(keyServiceState) ? REVOKED : keyServiceState;
    }

    @Id
    @Column(name = "key_id")
    public String keyId;

    @Id
    public int version;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(nullable = false)
    public String provider;

    @Column(name = "app_id", nullable = false)
    public String appId;

    @Column(nullable = false)
    public String environment;

    @Column(nullable = false)
    public String algorithm;

    @Column(nullable = false)
    public String fingerprint;

    @Column(name = "public_key", nullable = false)
    public String publicKey;

    @Column(nullable = false)
    public String state;

    @Column(name = "valid_until")
    public Instant validUntil;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static List<KnownKeyVersion> of(String tenantId, String keyId) {
        return list("tenantId = ?1 and keyId = ?2 order by version", tenantId, keyId);
    }
}
