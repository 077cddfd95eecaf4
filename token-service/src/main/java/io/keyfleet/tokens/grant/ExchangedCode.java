package io.keyfleet.tokens.grant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An authorization code that was presented for exchange, as its SHA-256 only. */
@Entity
@Table(name = "exchanged_code")
public class ExchangedCode extends PanacheEntityBase {

    @Id
    @Column(name = "code_hash")
    public String codeHash;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    /** The grant the code produced; null while the exchange is under way. */
    @Column(name = "grant_id")
    public String grantId;

    @Column(name = "exchanged_at", nullable = false)
    public Instant exchangedAt;

    @Column(name = "replayed_at")
    public Instant replayedAt;
}
