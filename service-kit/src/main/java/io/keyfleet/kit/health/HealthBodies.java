package io.keyfleet.kit.health;

import io.smallrye.health.api.HealthContentFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What {@code /q/health/*} answer. Unless {@code keyfleet.health.details} is true (dev and test), only the overall
 * status: {@code {"status":"UP"}} or {@code {"status":"DOWN"}}, with 200 or 503 as before. The checks' names and data
 * (a database or Vault address, an error message, key versions) stay inside: SmallRye Health still logs the full
 * answer when it is DOWN.
 */
@ApplicationScoped
public class HealthBodies implements HealthContentFilter {

    @ConfigProperty(name = "keyfleet.health.details", defaultValue = "false")
    boolean details;

    @Override
    public JsonObject filter(JsonObject payload) {
        return details ? payload : statusOnly(payload);
    }

    static JsonObject statusOnly(JsonObject payload) {
        String status = "UP".equals(payload.getString("status", null)) ? "UP" : "DOWN";
        return Json.createObjectBuilder().add("status", status).build();
    }
}
