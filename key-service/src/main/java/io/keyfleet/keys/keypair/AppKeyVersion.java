package io.keyfleet.keys.keypair;

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

/** One version of an app key: public material and lifecycle state. Private material never lives in this table. */
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

    /** SHA-256 of the SubjectPublicKeyInfo, lower-case hex. */
    @Column(nullable = false)
    public String fingerprint;

    /** SubjectPublicKeyInfo DER, base64: the form providers ask to paste. */
    @Column(name = "public_key", nullable = false)
    public String publicKey;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** For a PREVIOUS version: the end of its grace period. */
    @Column(name = "valid_until")
    public Instant validUntil;

    public static List<AppKeyVersion> of(UUID keyId) {
        return list("keyId = ?1 order by version", keyId);
    }
}
