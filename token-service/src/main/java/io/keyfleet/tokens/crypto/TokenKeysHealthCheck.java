package io.keyfleet.tokens.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.SortedMap;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code token-keys}: the token keys and how many grants hold tokens under each, as counted last
 * ({@link TokenKeyRotation}). Always up: a start with grants under a key that is not configured is refused, and a key
 * that only another replica knows must not take this one out of service.
 */
@Readiness
@ApplicationScoped
public class TokenKeysHealthCheck implements HealthCheck {

    static final String NAME = "token-keys";

    @Inject
    TokenKeyRotation rotation;

    @Inject
    TokenCipher cipher;

    @Override
    public HealthCheckResponse call() {
        SortedMap<Integer, Long> counts = rotation.lastCount();
        return HealthCheckResponse.named(NAME).up()
                .withData("activeKeyId", cipher.keys().activeId())
                .withData("keyIds", cipher.keys().ids().toString())
                .withData("grantsByKey", counts.toString())
                .withData("grantsUnderUnconfiguredKeys", TokenKeyRotation.unconfigured(counts, cipher.keys()).values().stream()
                        .mapToLong(Long::longValue).sum())
                .build();
    }
}
