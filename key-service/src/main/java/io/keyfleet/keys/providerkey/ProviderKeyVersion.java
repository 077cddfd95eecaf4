package io.keyfleet.keys.providerkey;

import io.keyfleet.keys.api.KeyState;
import io.keyfleet.keys.material.KeyAlgorithm;
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

@Entity
@Table(name = "provider_key_version")
@IdClass(ProviderKeyVersion.VersionId.class)
public class ProviderKeyVersion extends PanacheEntityBase {

    public record VersionId(UUID providerKeyId, int version) implements Serializable {
        public VersionId() {
            this(null, 0);
        }
    }

    @Id
    @Column(name = "provider_key_id")
    public UUID providerKeyId;

    @Id
    public int version;

    /** CURRENT, PREVIOUS (verifies until valid_until) or RETIRED. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public KeyState state;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public KeyAlgorithm algorithm;

    @Column(nullable = false)
    public String fingerprint;

    @Column(name = "public_key", nullable = false)
    public String publicKey;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "valid_until")
    public Instant validUntil;

    public static List<ProviderKeyVersion> of(UUID providerKeyId) {
        return list("providerKeyId = ?1 order by version", providerKeyId);
    }
}
