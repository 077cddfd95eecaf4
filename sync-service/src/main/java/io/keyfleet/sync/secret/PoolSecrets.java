package io.keyfleet.sync.secret;

import io.keyfleet.keys.api.PoolSecretApi;
import io.keyfleet.kit.client.ClientFailure;
import io.keyfleet.kit.client.ServiceCall;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Pool API secrets in key-service's secret backend, through key-service-api's typed client ({@link PoolSecretApi}), with this
 * service's own credential and the tenant it acts for. sync-service keeps only the version number.
 * <p>
 * <b>When key-service is down</b> every call fails within 5 s (one retry after 50 ms when nothing answered; at once while the
 * circuit breaker is open, {@link ServiceCall}) with a {@link PoolSecretException} of status 0: saving a pool with a new
 * secret is refused (503), a sync job or connectivity check that needs the secret fails and says why, and a rotation
 * event's re-check is tried again when the event is.
 */
@ApplicationScoped
public class PoolSecrets {

    /** key-service refused (its status) or could not be reached (0); the message never contains the secret. */
    public static class PoolSecretException extends RuntimeException {
        public final int status;

        PoolSecretException(ClientFailure failure) {
            super(failure.getMessage() + " for a pool secret", null, false, false);
            this.status = failure.status;
        }
    }

    private final ServiceCall call = ServiceCall.to("key-service", "pool-secrets", Duration.ofSeconds(5), 1);

    @Inject
    @RestClient
    PoolSecretApi keyService;

    public void put(String tenantId, String poolId, int version, String secret) {
        guarded(() -> {
            keyService.put(tenantId, poolId, new PoolSecretApi.PutSecret(version, secret));
            return null;
        });
    }

    /** The secret of that version; empty when key-service has none (destroyed or never written). */
    public Optional<String> get(String tenantId, String poolId, int version) {
        try {
            return Optional.of(guarded(() -> keyService.get(tenantId, poolId, version)).secret());
        } catch (PoolSecretException e) {
            if (e.status == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public void destroy(String tenantId, String poolId, int version) {
        guarded(() -> {
            keyService.delete(tenantId, poolId, version);
            return null;
        });
    }

    private <T> T guarded(Supplier<T> request) {
        try {
            return call.call(request);
        } catch (ClientFailure failure) {
            throw new PoolSecretException(failure);
        }
    }
}
