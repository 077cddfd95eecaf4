package io.keyfleet.keys.credential;

import io.keyfleet.auth.ServiceIdentity;
import io.keyfleet.keys.audit.AuditLog;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.kit.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Who is handed private material (a key version's private half, a pool's API secret): only the service credential of a
 * service whose {@link ServiceIdentity} holds the material's scope — signing-service for keys, sync-service for pool
 * secrets. The scope alone is not enough: the administrator holds every scope but signs nothing, and a credential
 * an administrator made with {@code keys:material} is not signing-service. A refusal is 403
 * {@value #REFUSED_CODE}, audited.
 */
@ApplicationScoped
public class MaterialReaders {

    public static final String REFUSED_CODE = "MATERIAL_NOT_FOR_CALLER";

    @Inject
    Caller caller;

    @Inject
    AuditLog auditLog;

    /** Returns when the caller may read material guarded by {@code scope}; else audits and throws 403. */
    public void require(String scope, String action, String tenantId, String target) {
        String service = serviceOfCaller();
        if (ServiceIdentity.mayRead(service, scope)) {
            return;
        }
        String who = service == null ? "credential " + caller.credentialId() + " is no service's credential"
                : "the credential of " + service + " is not";
        String detail = "Material under " + scope + " is handed only to the service credential of "
                + String.join(", ", ServiceIdentity.readersOf(scope)) + "; " + who + ".";
        auditLog.recordRefusal(action, tenantId, target, detail);
        throw new ProblemException(403, REFUSED_CODE, "Forbidden", detail);
    }

    /** The service the calling credential belongs to, or null for any other credential. */
    private String serviceOfCaller() {
        if (caller.credentialId() == null) {
            return null;
        }
        String bootstrapName = QuarkusTransaction.joiningExisting().call(() -> {
            ApiCredential credential = ApiCredential.findById(caller.credentialId());
            return credential == null || credential.isRevoked() ? null : credential.bootstrapName;
        });
        return bootstrapName != null && bootstrapName.startsWith(ServiceIdentity.BOOTSTRAP_PREFIX)
                ? bootstrapName.substring(ServiceIdentity.BOOTSTRAP_PREFIX.length()) : null;
    }
}
