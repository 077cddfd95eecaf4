package io.keyfleet.keys.secret;

import io.keyfleet.auth.Scopes;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.kit.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Internal admin API of the secret backend. */
@Path("/internal/v1/secrets")
@RequiresScope(Scopes.SECRETS_ADMIN)
@Tag(name = "internal")
public class SecretAdminResource {

    @Inject
    SecretBackends backends;

    @POST
    @Path("/rewrap")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Re-wrap every data key of the local backend with the active master key version",
            description = "Needs a system credential with scope secrets:admin. Afterwards a master key version that no row"
                    + " uses any more (rowsByMasterKeyVersion) can be removed from the key file.")
    public LocalSecretStore.RewrapResult rewrap() {
        LocalSecretStore local = backends.local().orElseThrow(() -> ProblemException.conflict("REWRAP_NOT_APPLICABLE",
                "The active secret backend is '" + backends.active().backend() + "'; only the local backend has"
                        + " master keys to rewrap."));
        return local.rewrapAll();
    }
}
