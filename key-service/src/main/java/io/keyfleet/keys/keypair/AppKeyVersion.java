package io.keyfleet.keys.keypair;

import io.keyfleet.keys.api.KeyVersionView;
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

/** One version of an app key: public material, lifecycle state, and where its private key is kept. */
@Entity
@Table(name = "app_key_version")
@IdClass(AppKeyVersion.VersionId.class)
public class AppKeyVersion extends PanacheEntityBase {

    public record VersionId(UUID keyId, int version) implements Serializable {
        public VersionId() {
            this(null, 0);
        }
    }

    @Id
    @Column(name = "key_id")
    public UUID keyId;

    @Id
    public int version;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public KeyState state;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public KeyAlgorithm algorithm;

    /** SHA-256 of the SubjectPublicKeyInfo, lower-case hex. */
    @Column(nullable = false)
    public String fingerprint;

    /** SubjectPublicKeyInfo DER, base64: the form providers ask to paste. */
    @Column(name = "public_key", nullable = false)
    public String publicKey;

    /** Where the private key is in the secret store; null when Keyfleet holds only the public key. */
    @Column(name = "secret_ref")
    public String secretRef;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "promoted_at")
    public Instant promotedAt;

    /** For a PREVIOUS version: the end of its grace period. */
    @Column(name = "valid_until")
    public Instant validUntil;

    @Column(name = "retired_at")
    public Instant retiredAt;

    @Column(name = "expiry_warned_at")
    public Instant expiryWarnedAt;

    public boolean canSign() {
        return secretRef != null;
    }

    /** This version's public parts, as key-service's API shows them. */
    public KeyVersionView view() {
        return new KeyVersionView(version, state, algorithm.name(), fingerprint, publicKey, canSign(), createdAt, promotedAt, validUntil,
                retiredAt);
    }

    public static List<AppKeyVersion> of(UUID keyId) {
        return list("keyId = ?1 order by version", keyId);
    }

    public static AppKeyVersion find(UUID keyId, int version) {
        return findById(new VersionId(keyId, version));
    }
}
