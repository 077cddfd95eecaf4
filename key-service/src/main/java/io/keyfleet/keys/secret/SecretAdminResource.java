package io.keyfleet.keys.secret;

import io.keyfleet.keys.support.InternalToken;
import io.keyfleet.kit.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Internal admin API of the secret backend. */
@Path("/internal/v1/secrets")
@Tag(name = "internal")
public class SecretAdminResource {

    @Inject
    SecretBackends backends;

    @Inject
    InternalToken internalToken;

    @POST
    @Path("/rewrap")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Re-wrap every data key of the local backend with the active master key version",
            description = "Needs the header X-Keyfleet-Internal-Token. Afterwards a master key version that no row"
                    + " uses any more (rowsByMasterKeyVersion) can be removed from the key file.")
    public LocalSecretStore.RewrapResult rewrap(@HeaderParam(InternalToken.HEADER) String token) {
        internalToken.require(token);
        LocalSecretStore local = backends.local().orElseThrow(() -> ProblemException.conflict("REWRAP_NOT_APPLICABLE",
                "The active secret backend is '" + backends.active().backend() + "'; only the local backend has"
                        + " master keys to rewrap."));
        return local.rewrapAll();
    }
}
