package io.keyfleet.keys.api;

import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The providers' own public keys, to verify their responses and notifications (scope {@code keys:read} to list). */
@Path("/v1/provider-keys")
@Produces(MediaType.APPLICATION_JSON)
@RegisterRestClient(configKey = KeyServiceApi.CONFIG_KEY)
public interface ProviderKeyApi {

    record ProviderKeyVersionView(int version, KeyState state, String algorithm, String fingerprint, String publicKey,
                                  Instant createdAt, Instant validUntil) {
    }

    record ProviderKeyView(UUID id, String provider, Environment environment, int currentVersion, Duration gracePeriod,
                           List<ProviderKeyVersionView> versions) {
    }

    /** The tenant's provider keys; provider and environment filter when given. */
    @GET
    List<ProviderKeyView> providerKeys(@HeaderParam(KeyServiceApi.TENANT_HEADER) String tenant,
                               @QueryParam("provider") @Size(max = 40) String provider,
                               @QueryParam("environment") Environment environment);
}
