package io.keyfleet.keys.certificate;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An app's public-key certificate for one version of its app key (the certificate's public key is that version's). */
@Entity
@Table(name = "app_key_certificate")
@IdClass(AppKeyCertificate.CertificateId.class)
public class AppKeyCertificate extends PanacheEntityBase {

    public record CertificateId(UUID keyId, int keyVersion) implements Serializable {
        public CertificateId() {
            this(null, 0);
        }
    }

    @Id
    @Column(name = "key_id")
    public UUID keyId;

    @Id
    @Column(name = "key_version")
    public int keyVersion;

    @Column(name = "certificate_pem", nullable = false)
    public String certificatePem;

    @Column(name = "cert_sn", nullable = false)
    public String certSn;

    @Column(name = "not_after", nullable = false)
    public Instant notAfter;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static List<AppKeyCertificate> of(UUID keyId) {
        return list("keyId = ?1 order by keyVersion", keyId);
    }
}
