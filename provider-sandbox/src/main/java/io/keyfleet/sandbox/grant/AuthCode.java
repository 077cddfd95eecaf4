package io.keyfleet.sandbox.grant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A one-time app_auth_code from merchant consent, kept only as its SHA-256. */
@Entity
@Table(name = "auth_code")
public class AuthCode extends PanacheEntityBase {

    @Id
    @Column(name = "code_hash")
    public String codeHash;

    @Column(name = "app_id", nullable = false)
    public String appId;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "auth_app_id", nullable = false)
    public String authAppId;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    /** Uses the code up: true for exactly one caller, while it is unused and unexpired (a conditional update). */
    static boolean use(String codeHash, String appId, Instant now) {
        return update("usedAt = ?1 where codeHash = ?2 and appId = ?3 and usedAt is null and expiresAt > ?1", now, codeHash, appId) == 1;
    }
}
