package io.keyfleet.sandbox.grant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A token pair issued for a grant, kept only as SHA-256; generation n+1 comes from refreshing a generation-n token. */
@Entity
@Table(name = "app_token")
public class AppToken extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "grant_id", nullable = false)
    public long grantId;

    @Column(nullable = false)
    public int generation;

    @Column(name = "parent_id")
    public Long parentId;

    @Column(name = "access_token_hash", nullable = false)
    public String accessTokenHash;

    @Column(name = "refresh_token_hash", nullable = false)
    public String refreshTokenHash;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    @Column(name = "access_expires_at", nullable = false)
    public Instant accessExpiresAt;

    @Column(name = "refresh_expires_at", nullable = false)
    public Instant refreshExpiresAt;

    /** The first refresh with this token. */
    @Column(name = "first_used_at")
    public Instant firstUsedAt;

    /** After the first use: the end of its grace. */
    @Column(name = "usable_until")
    public Instant usableUntil;

    @Column(name = "times_refreshed", nullable = false)
    public int timesRefreshed;
}
