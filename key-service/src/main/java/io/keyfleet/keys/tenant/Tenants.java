package io.keyfleet.keys.tenant;

import io.keyfleet.kit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import io.keyfleet.keys.audit.AuditLog;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;

@ApplicationScoped
public class Tenants {

    @Inject
    AuditLog auditLog;

    @Transactional
    public Tenant create(String id, String name) {
        if (Tenant.findById(id) != null) {
            throw ProblemException.conflict("TENANT_EXISTS", "A tenant with id '" + id + "' already exists.");
        }
        Tenant tenant = new Tenant();
        tenant.id = id;
        tenant.name = name;
        tenant.createdAt = Instant.now();
        tenant.persist();
        auditLog.record("tenant.create", id, id, "OK", null);
        return tenant;
    }

    /** The tenant, or a 404 problem a caller can act on. */
    public Tenant require(String id) {
        Tenant tenant = Tenant.findById(id);
        if (tenant == null) {
            throw ProblemException.notFound("TENANT_NOT_FOUND", "No tenant '" + id + "' exists; create it first with POST /v1/tenants.");
        }
        return tenant;
    }
}
