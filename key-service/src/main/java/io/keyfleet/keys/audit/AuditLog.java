package io.keyfleet.keys.audit;

import io.keyfleet.kit.caller.Caller;
import io.quarkus.arc.Arc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
 * searched for a known id without holding ids in clear. Who and from where come from the request's {@link Caller}
 * (the credential id, never its secret); work outside a request (scheduled jobs) is recorded as {@value #SCHEDULER}.
 */
@ApplicationScoped
public class AuditLog {

    static final String SCHEDULER = "keyfleet:scheduler";

    @ConfigProperty(name = "keyfleet.audit.hmac-key")
    String hmacKey;

    @Inject
    Caller caller;

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String action, String tenantId, String target, String outcome, String detail) {
        boolean inRequest = Arc.container().requestContext().isActive();
        AuditRecord record = new AuditRecord();
        record.occurredAt = Instant.now();
        record.actor = inRequest ? caller.actor() : SCHEDULER;
        record.action = action;
        record.tenantHmac = tenantId == null ? null : hmac(tenantId);
        record.targetHmac = target == null ? null : hmac(target);
        record.sourceIp = inRequest ? caller.sourceIp() : null;
        record.outcome = outcome;
        record.detail = detail;
        record.persist();
    }

    /**
     * For a refused operation: written in a transaction of its own, because the operation's own transaction is
     * about to roll back with the refusal.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordRefusal(String action, String tenantId, String target, String detail) {
        record(action, tenantId, target, "REFUSED", detail);
    }

    /** A burst of failed verifications from one address ({@link FailedVerifications}); in a transaction of its own. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordBurst(String sourceIp, String detail) {
        AuditRecord record = new AuditRecord();
        record.occurredAt = Instant.now();
        record.actor = "unauthenticated";
        record.action = "credential.verify.failures";
        record.sourceIp = sourceIp;
        record.outcome = "REFUSED";
        record.detail = detail.length() > 500 ? detail.substring(0, 500) : detail;
        record.persist();
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
