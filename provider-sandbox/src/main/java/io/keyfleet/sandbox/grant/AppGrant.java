package io.keyfleet.sandbox.grant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One exchanged code: the root of a refresh-token lineage. */
@Entity
@Table(name = "app_grant")
public class AppGrant extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "app_id", nullable = false)
    public String appId;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "auth_app_id", nullable = false)
    public String authAppId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "refresh_count", nullable = false)
    public long refreshCount;

    /** Counts a refresh in the database (concurrent refreshes of one grant all count). */
    static void countRefresh(long id) {
        update("refreshCount = refreshCount + 1 where id = ?1", id);
    }
}
