package io.keyfleet.kit.caller;

import io.keyfleet.auth.Scopes;
import io.keyfleet.auth.SignedRequestHeaders;
import io.keyfleet.kit.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who is calling, for the current request, as {@link io.keyfleet.kit.auth.AuthFilter} established it: the verified
 * credential, its tenant, and the tenant the request acts for — the same, except that a credential of the system
 * tenant (the administrator, the suite's own services) acts for the tenant named in the {@value #TENANT_HEADER}
 * header; its scopes still decide what it may do there.
 */
@RequestScoped
public class Caller {

    public static final String TENANT_HEADER = SignedRequestHeaders.TENANT;
    private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

    private UUID credentialId;
    private String ownTenant;
    private String actingTenant;
    private List<String> scopes = List.of();
    private boolean system;
    private String sourceIp;

    /** Called once per request by the authentication filter. */
    public void authenticated(UUID credentialId, String ownTenant, String actingTenant, List<String> scopes, boolean system,
                              String sourceIp) {
        this.credentialId = credentialId;
        this.ownTenant = ownTenant;
        this.actingTenant = actingTenant;
        this.scopes = List.copyOf(scopes);
        this.system = system;
        this.sourceIp = sourceIp;
    }

    /** Authentication switched off (single-service tests): the tenant is whatever the header says. */
    public void unauthenticated(String presentedTenant, String sourceIp) {
        this.actingTenant = presentedTenant;
        this.sourceIp = sourceIp;
    }

    /** The tenant this request acts for, or a problem saying how to name it. */
    public String tenantId() {
        if (actingTenant == null || actingTenant.isBlank()) {
            throw new ProblemException(401, "TENANT_MISSING", "Unauthenticated",
                    "Say which tenant you act for in the " + TENANT_HEADER + " header.");
        }
        requireWellFormed(actingTenant);
        return actingTenant;
    }

    /** A 400 TENANT_INVALID unless the value is a tenant id as the {@value #TENANT_HEADER} header must carry it. */
    public static void requireWellFormed(String tenantHeader) {
        if (!TENANT_ID.matcher(tenantHeader).matches()) {
            throw new ProblemException(400, "TENANT_INVALID", "Bad request",
                    "The " + TENANT_HEADER + " header must be 2-63 lower-case letters, digits or dashes.");
        }
    }

    /** The verified credential, or null when authentication is switched off. */
    public UUID credentialId() {
        return credentialId;
    }

    /** The tenant the credential itself belongs to. */
    public String ownTenant() {
        return ownTenant;
    }

    /** A system credential reaches across tenants where its scopes allow. */
    public boolean isSystem() {
        return system;
    }

    public boolean hasScope(String scope) {
        return Scopes.covers(scopes, scope);
    }

    /** Who did it, for audit records: the credential, never its secret. */
    public String actor() {
        return credentialId == null ? "unauthenticated" : "credential:" + credentialId;
    }

    public String sourceIp() {
        return sourceIp;
    }
}
