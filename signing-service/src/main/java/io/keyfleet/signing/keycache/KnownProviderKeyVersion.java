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

/** A provider public key version as key-service holds it, read when a ProviderKeyUpdated named it: what verifies that provider's messages. */
@Entity
@Table(name = "provider_key_version")
@IdClass(KnownProviderKeyVersion.VersionId.class)
public class KnownProviderKeyVersion extends PanacheEntityBase {

    public record VersionId(String providerKeyId, int version) implements Serializable {
        public VersionId() {
            this(null, 0);
        }
    }

    @Id
    @Column(name = "provider_key_id")
    public String providerKeyId;

    @Id
    public int version;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(nullable = false)
    public String provider;

    @Column(nullable = false)
    public String environment;

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

    public static List<KnownProviderKeyVersion> of(String tenantId, String provider, String environment) {
        return list("tenantId = ?1 and provider = ?2 and environment = ?3 order by version", tenantId, provider, environment);
    }
}
