package io.keyfleet.keys.audit;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes audit records in the caller's transaction: if the record cannot be written, the operation fails with it.
 * Tenant and target identifiers are stored as HMAC-SHA256 under {@code keyfleet.audit.hmac-key}, so the log can be
 * searched for a known id without holding ids in clear.
 */
@ApplicationScoped
public class AuditLog {

    @ConfigProperty(name = "keyfleet.audit.hmac-key")
    String hmacKey;

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String actor, String action, String tenantId, String target, HttpServerRequest from, String outcome, String detail) {
        AuditRecord record = new AuditRecord();
        record.occurredAt = Instant.now();
        record.actor = actor;
        record.action = action;
        record.tenantHmac = tenantId == null ? null : hmac(tenantId);
        record.targetHmac = target == null ? null : hmac(target);
        record.sourceIp = from == null || from.remoteAddress() == null ? null : from.remoteAddress().hostAddress();
        record.outcome = outcome;
        record.detail = detail;
        record.persist();
    }

    /**
     * For a refused operation: written in a transaction of its own, because the operation's own transaction is
     * about to roll back with the refusal.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordRefusal(String actor, String action, String tenantId, String target, HttpServerRequest from, String detail) {
        record(actor, action, tenantId, target, from, "REFUSED", detail);
    }

    /** The HMAC under which an identifier appears in the audit log. */
    public String hmac(String identifier) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hmacKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(identifier.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
