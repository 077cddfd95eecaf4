package io.keyfleet.signing.keycache;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A key whose event could not be checked with key-service: it is read again from key-service until it answers. */
@Entity
@Table(name = "stale_key")
public class StaleKey extends PanacheEntityBase {

    public static final String APP = "APP";
    public static final String PROVIDER = "PROVIDER";

    @Id
    @Column(name = "key_id")
    public String keyId;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(nullable = false)
    public String kind;

    public String provider;

    public String environment;

    @Column(nullable = false)
    public Instant since;

    /** Marks a key stale (once: a key marked already keeps its first mark). */
    static void mark(String kind, String tenantId, String keyId, String provider, String environment) {
        if (findById(keyId) != null) {
            return;
        }
        StaleKey stale = new StaleKey();
        stale.keyId = keyId;
        stale.tenantId = tenantId;
        stale.kind = kind;
        stale.provider = provider;
        stale.environment = environment;
        stale.since = Instant.now();
        stale.persist();
    }
}
