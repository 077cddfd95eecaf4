package io.keyfleet.kit.auth;

import io.keyfleet.auth.Scopes;
import io.keyfleet.kit.caller.Caller;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.util.Map;

/** Endpoints for the authentication tests: what the filter established, and the scope rules. */
@Path("/test/whoami")
@RequiresScope(Scopes.KEYS_READ)
public class WhoAmIResource {

    @Inject
    Caller caller;

    @GET
    public Map<String, Object> whoAmI() {
        return Map.of("tenant", caller.tenantId(), "credential", String.valueOf(caller.credentialId()), "system", caller.isSystem(),
                "sourceIp", String.valueOf(caller.sourceIp()));
    }

    @POST
    @Path("/write")
    @RequiresScope(Scopes.KEYS_WRITE)
    public String write(String body) {
        return body;
    }
}
