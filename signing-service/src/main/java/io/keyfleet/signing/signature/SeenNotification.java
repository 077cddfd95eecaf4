package io.keyfleet.signing.signature;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A notification id already accepted for a tenant and scheme; kept for {@code keyfleet.signing.notifications.dedupe-for}. */
@Entity
@Table(name = "seen_notification")
@IdClass(SeenNotification.Key.class)
public class SeenNotification extends PanacheEntityBase {

    /** Remembers the id unless it is there already: one row changed the first time, none for a replay (even a concurrent one). */
    static final String INSERT_IF_NEW = "insert into seen_notification (tenant_id, scheme, notification_id, seen_at)"
            + " values (:tenant, :scheme, :id, now()) on conflict do nothing";

    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    @Id
    @Column(name = "scheme")
    public String scheme;

    @Id
    @Column(name = "notification_id")
    public String notificationId;

    @Column(name = "seen_at", nullable = false)
    public Instant seenAt;

    /** True the first time this id is seen (and remembers it); false for a replay. Joins the caller's transaction. */
    static boolean remember(String tenantId, String scheme, String notificationId) {
        return getEntityManager().createNativeQuery(INSERT_IF_NEW).setParameter("tenant", tenantId).setParameter("scheme", scheme)
                .setParameter("id", notificationId).executeUpdate() == 1;
    }

    /** Forgets the ids seen before {@code before}. */
    static long forgetBefore(Instant before) {
        return delete("seenAt < ?1", before);
    }

    /** The primary key: tenant, scheme and notification id. */
    public static class Key implements Serializable {
        public String tenantId;
        public String scheme;
        public String notificationId;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && tenantId.equals(key.tenantId) && scheme.equals(key.scheme)
                    && notificationId.equals(key.notificationId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, scheme, notificationId);
        }
    }
}
