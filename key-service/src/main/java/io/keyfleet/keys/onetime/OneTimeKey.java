package io.keyfleet.keys.onetime;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The life of one applyPublicKey key; its private half is in the secret store at {@link #secretPath()}. */
@Entity
@Table(name = "one_time_key")
public class OneTimeKey extends PanacheEntityBase {

    public enum State {
        /** Handed out, usable until {@code expiresAt}. */
        ISSUED,
        /** Decrypted its one ciphertext; private half destroyed. */
        USED,
        /** A decrypt with it failed (wrong salt or ciphertext); private half destroyed. */
        FAILED,
        /** Never used before {@code expiresAt}; private half destroyed. */
        EXPIRED
    }

    @Id
    @Column(name = "unique_id")
    public String uniqueId;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "customer_id")
    public String customerId;

    @Column(nullable = false)
    public String salt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public State state;

    public String secretPath() {
        return secretPath(uniqueId);
    }

    static String secretPath(String uniqueId) {
        return "onetime/" + uniqueId;
    }
}
