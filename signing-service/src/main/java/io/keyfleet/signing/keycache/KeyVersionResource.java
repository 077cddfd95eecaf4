package io.keyfleet.signing.keycache;

import io.keyfleet.auth.Scopes;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.kit.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.time.Instant;
import java.util.List;

/** What signing-service knows of a key: the versions it has heard of from key-service, public parts only. */
@Path("/v1/keys/{keyId}/versions")
@RequiresScope(Scopes.KEYS_READ)
public class KeyVersionResource {

    public record KnownVersionView(int version, String state, String fingerprint, String environment, Instant validUntil) {
    }

    @Inject
    Caller caller;

    @GET
    public List<KnownVersionView> list(@PathParam("keyId") String keyId) {
        List<KnownKeyVersion> versions = KnownKeyVersion.of(caller.tenantId(), keyId);
        if (versions.isEmpty()) {
            throw ProblemException.notFound("KEY_NOT_FOUND", "signing-service has not heard of key '" + keyId + "' for this tenant.");
        }
        return versions.stream()
                .map(v -> new KnownVersionView(v.version, v.state, v.fingerprint, v.environment, v.validUntil))
                .toList();
    }
}
