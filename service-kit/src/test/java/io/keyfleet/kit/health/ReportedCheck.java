package io.keyfleet.kit.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** A readiness check with the kind of data real checks carry (an address, an error), DOWN while a test says so. */
@Readiness
@ApplicationScoped
public class ReportedCheck implements HealthCheck {

    static final String ADDRESS = "https://vault.internal.example:8200";
    static final String ERROR = "Connection refused: vault.internal.example/10.1.2.3:8200";
    static volatile boolean down;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("reported").withData("address", ADDRESS);
        return down ? response.down().withData("error", ERROR).build() : response.up().build();
    }
}
