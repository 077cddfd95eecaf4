package io.keyfleet.keys.providerkey;

import io.keyfleet.auth.Scopes;
import io.keyfleet.keys.api.ProviderKeyApi;
import io.keyfleet.kit.auth.RequiresScope;
import io.keyfleet.keys.api.Environment;
import io.keyfleet.keys.api.KeyState;
import io.keyfleet.keys.material.KeyImport;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.kit.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/provider-keys")
@RequiresScope(Scopes.KEYS_WRITE)
@Tag(name = "Provider public keys", description = "The providers' own public keys, to verify their responses and notifications")
public class ProviderKeyResource implements ProviderKeyApi {

    private static final Duration MAX_GRACE = Duration.ofDays(90);

    public record PutProviderKeyRequest(
            @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,39}", message = "must be 1-40 lower-case letters, digits or dashes, e.g. alipay") String provider,
            @NotNull Environment environment,
            @NotNull @Size(min = 1, max = 16384) String publicKey,
            Duration gracePeriod) {
    }

    static ProviderKeyView view(ProviderKey key) {
        return new ProviderKeyView(key.id, key.provider, key.environment, key.currentVersion, Duration.ofSeconds(key.gracePeriodSeconds),
                ProviderKeyVersion.of(key.id).stream()
                        .map(v -> new ProviderKeyVersionView(v.version, v.state, v.algorithm.name(), v.fingerprint, v.publicKey, v.createdAt, v.validUntil))
                        .toList());
    }

    @Inject
    ProviderKeys providerKeys;

    @Inject
    Caller caller;

    @PUT
    @Operation(summary = "Set or replace a provider's public key", description = "PEM or the bare base64 the provider's console shows. "
            + "A replaced key keeps verifying for the grace period (default 24 h).")
    public ProviderKeyView put(@Valid @NotNull PutProviderKeyRequest request) {
        Duration grace = request.gracePeriod();
        if (grace != null && (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0)) {
            // unchecked, a huge grace overflowed the grace end of the replaced key (a 500) on the next replacement
            throw ProblemException.badRequest("GRACE_PERIOD_INVALID", "gracePeriod must be between PT0S and P90D.");
        }
        return view(providerKeys.put(caller.tenantId(), request.provider(), request.environment(),
                KeyImport.importPublicKey(request.publicKey()), request.gracePeriod()));
    }

    @Override
    @RequiresScope(Scopes.KEYS_READ)
    public List<ProviderKeyView> providerKeys(String tenantHeader, String provider, Environment environment) {
        return providerKeys.list(caller.tenantId(), provider, environment).stream().map(ProviderKeyResource::view).toList();
    }

    @GET
    @RequiresScope(Scopes.KEYS_READ)
    @Path("/{id}")
    public ProviderKeyView get(@PathParam("id") UUID id) {
        return view(providerKeys.require(caller.tenantId(), id));
    }
}
