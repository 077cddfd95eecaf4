package io.keyfleet.kit.caller;

import io.keyfleet.kit.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import java.util.regex.Pattern;

/**
 * Who is calling, for the current request: the tenant every query is scoped to.
 *
 * <p>Today the tenant is taken from the {@value #TENANT_HEADER} header by {@link CallerFilter}; the credential
 * system (API keys and signed requests issued by key-service) will set it from the verified credential instead,
 * without changing the code that asks for it.
 */
@RequestScoped
public class Caller {

    public static final String TENANT_HEADER = "X-Keyfleet-Tenant";
    private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

    private String tenantId;

    void identify(String presentedTenant) {
        this.tenantId = presentedTenant;
    }

    /** The caller's tenant, or a 401 problem saying how to identify. */
    public String tenantId() {
        if (tenantId == null || tenantId.isBlank()) {
            throw new ProblemException(401, "TENANT_MISSING", "Unauthenticated",
                    "Say which tenant you act for in the " + TENANT_HEADER + " header.");
        }
        if (!TENANT_ID.matcher(tenantId).matches()) {
            throw new ProblemException(400, "TENANT_INVALID", "Bad request",
                    "The " + TENANT_HEADER + " header must be 2-63 lower-case letters, digits or dashes.");
        }
        return tenantId;
    }
}
