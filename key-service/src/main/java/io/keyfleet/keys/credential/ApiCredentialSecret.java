package io.keyfleet.keys.credential;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One secret version of a credential: for an API key its SHA-256 hash and display prefix, for a SECRET_PAIR the
 * secret-store path of its SecretKey. {@code validUntil} is null for the current version and the grace end otherwise.
 */
@Entity
@Table(name = "api_credential_secret")
public class ApiCredentialSecret extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "credential_id", nullable = false)
    public UUID credentialId;

    @Column(nullable = false)
    public int version;

    /** Lower-case hex SHA-256 of the whole API key. */
    @Column(name = "key_hash")
    public String keyHash;

    @Column(name = "key_prefix")
    public String keyPrefix;

    /** Where the SecretKey is in the secret store (version 1); null once destroyed. */
    @Column(name = "secret_ref")
    public String secretRef;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "valid_until")
    public Instant validUntil;

    public boolean usableAt(Instant now) {
        return validUntil == null || now.isBefore(validUntil);
    }

    public static List<ApiCredentialSecret> of(UUID credentialId) {
        return list("credentialId = ?1 order by version", credentialId);
    }

    public static ApiCredentialSecret current(ApiCredential credential) {
        return find("credentialId = ?1 and version = ?2", credential.id, credential.currentVersion).firstResult();
    }
}
