package io.keyfleet.keys.secret;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Readiness of the secret backend: which one is active and that it works. */
@Readiness
@ApplicationScoped
public class SecretBackendHealthCheck implements HealthCheck {

    static final String NAME = "secret-backend";

    @Inject
    SecretBackends backends;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        SecretStore store = backends.active();
        response.withData("backend", store.backend());
        try {
            if (store instanceof LocalSecretStore local) {
                local.ping();
                response.withData("activeMasterKeyVersion", local.masterKeys().activeVersion())
                        .withData("masterKeyVersions", local.masterKeys().versions().toString());
            } else if (store instanceof VaultSecretStore vault) {
                for (Map.Entry<String, Object> entry : vault.health().entrySet()) {
                    response.withData(entry.getKey(), String.valueOf(entry.getValue()));
                }
            }
            return response.up().build();
        } catch (RuntimeException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
