package io.keyfleet.keys.audit;

import io.keyfleet.auth.Scopes;
import io.keyfleet.kit.auth.AuthConfig;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.kit.problem.ProblemException;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Reads the audit log. A tenant sees its own records; the system tenant (not acting for another) sees all, including
 * failed-verification bursts, which belong to no tenant. Identifiers are stored only as HMACs, so a filter by target
 * takes the id in clear and looks up its HMAC; the records show the HMACs, never ids.
 */
@Path("/v1/audit")
@RequiresScope(Scopes.AUDIT_READ)
@Tag(name = "Audit log", description = "Who did what, when and from where")
public class AuditResource {

    public record AuditView(long id, Instant occurredAt, String actor, String action, String tenantHmac, String targetHmac,
                            String sourceIp, String outcome, String detail) {
        static AuditView of(AuditRecord r) {
            return new AuditView(r.id, r.occurredAt, r.actor, r.action, r.tenantHmac, r.targetHmac, r.sourceIp, r.outcome, r.detail);
        }
    }

    public record AuditPage(List<AuditView> items, int page, int size, long total) {
    }

    @Inject
    Caller caller;

    @Inject
    AuditLog auditLog;

    @Inject
    AuthConfig authConfig;

    @GET
    @Operation(summary = "Search the audit log", description = "Newest first. Filters: action (e.g. credential.revoke, or a "
            + "prefix ending in '.', e.g. key.), target (an id in clear: credential, key, one-time key), actor "
            + "(credential:<id>), outcome (OK or REFUSED), from and to (ISO-8601 instants).")
    public AuditPage search(@QueryParam("action") @Size(max = 60) String action,
                            @QueryParam("target") @Size(max = 200) String target,
                            @QueryParam("actor") @Size(max = 100) String actor,
                            @QueryParam("outcome") @Size(max = 20) String outcome,
                            @QueryParam("from") String from,
                            @QueryParam("to") String to,
                            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        List<String> where = new ArrayList<>();
        Parameters parameters = new Parameters();
        String tenant = caller.tenantId();
        if (!(caller.isSystem() && tenant.equals(authConfig.systemTenant()))) {
            where.add("tenantHmac = :tenant");
            parameters.and("tenant", auditLog.hmac(tenant));
        }
        if (action != null && !action.isBlank()) {
            where.add(action.endsWith(".") ? "action like :action" : "action = :action");
            parameters.and("action", action.endsWith(".") ? action + "%" : action);
        }
        if (target != null && !target.isBlank()) {
            where.add("targetHmac = :target");
            parameters.and("target", auditLog.hmac(target.strip()));
        }
        if (actor != null && !actor.isBlank()) {
            where.add("actor = :actor");
            parameters.and("actor", actor.strip());
        }
        if (outcome != null && !outcome.isBlank()) {
            where.add("outcome = :outcome");
            parameters.and("outcome", outcome.strip().toUpperCase(java.util.Locale.ROOT));
        }
        if (from != null && !from.isBlank()) {
            where.add("occurredAt >= :from");
            parameters.and("from", instant("from", from));
        }
        if (to != null && !to.isBlank()) {
            where.add("occurredAt < :to");
            parameters.and("to", instant("to", to));
        }
        var query = where.isEmpty()
                ? AuditRecord.<AuditRecord>findAll(Sort.descending("occurredAt", "id"))
                : AuditRecord.<AuditRecord>find(String.join(" and ", where), Sort.descending("occurredAt", "id"), parameters);
        return new AuditPage(query.page(Page.of(page, size)).list().stream().map(AuditView::of).toList(), page, size, query.count());
    }

    private static Instant instant(String name, String text) {
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("INVALID_TIME", name + " must be an ISO-8601 instant such as 2026-11-01T00:00:00Z.");
        }
    }
}
