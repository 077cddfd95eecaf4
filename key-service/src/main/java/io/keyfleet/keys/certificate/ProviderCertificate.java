package io.keyfleet.keys.certificate;

import io.keyfleet.keys.api.Environment;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The provider's public-key certificate(s) and the root bundle they chain to, per tenant, provider and environment. */
@Entity
@Table(name = "provider_certificate")
public class ProviderCertificate extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(nullable = false)
    public String provider;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Environment environment;

    @Column(name = "certificate_pem", nullable = false)
    public String certificatePem;

    @Column(name = "root_pem", nullable = false)
    public String rootPem;

    @Column(name = "root_cert_sn", nullable = false)
    public String rootCertSn;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
