package io.keyfleet.signing.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Liveness check {@code crypto-provider}: always up, its data says which provider signs RSA. */
@Liveness
@ApplicationScoped
public class CryptoProviderCheck implements HealthCheck {

    @Inject
    RsaProvider rsa;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("crypto-provider").up().withData("provider", rsa.name())
                .withData("accp", rsa.provider().isPresent() ? "in use" : "not in use").build();
    }
}
