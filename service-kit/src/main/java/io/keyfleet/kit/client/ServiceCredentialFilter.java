package io.keyfleet.kit.client;

import io.keyfleet.auth.SignedRequestHeaders;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Sends this service's own credential ({@code keyfleet.auth.service-api-key}, {@code KEYFLEET_SERVICE_API_KEY}) as a bearer
 * key on the calls of the suite's typed clients. Registered per client, only for the suite's own services
 * ({@code quarkus.rest-client.<service>.providers}), never globally: a client of a tenant-supplied address must not carry it.
 */
public class ServiceCredentialFilter implements ClientRequestFilter {

    private final Optional<String> serviceApiKey = ConfigProvider.getConfig()
            .getOptionalValue("keyfleet.auth.service-api-key", String.class).filter(key -> !key.isBlank());

    @Override
    public void filter(ClientRequestContext request) {
        serviceApiKey.ifPresent(key -> request.getHeaders().putSingle(SignedRequestHeaders.AUTHORIZATION, "Bearer " + key));
    }
}
