package io.keyfleet.kit.secrets;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * In the {@code prod} profile (the packaged services' default) a service does not start while one of its secret
 * settings holds a {@link KnownSecrets known} value: a demo key from docker-compose.yml, a test key from an
 * application.properties, a default password. It runs before any other start-up observer, so nothing (no bootstrap
 * credential) is made with such a value. The message names the settings, never the values.
 */
@ApplicationScoped
public class KnownSecretsGuard {

    @Inject
    Instance<SecretSettings> settings;

    @ConfigProperty(name = "quarkus.application.name")
    String application;

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        if (ConfigUtils.isProfileActive("prod")) {
            List<ConfiguredSecret> secrets = new ArrayList<>();
            settings.forEach(source -> secrets.addAll(source.secrets()));
            refuseKnown(application, secrets, KnownSecrets.shipped());
        }
    }

    /** Throws, naming every setting that holds a known value; returns quietly when none does. */
    static void refuseKnown(String application, List<ConfiguredSecret> secrets, KnownSecrets known) {
        Set<String> offending = new LinkedHashSet<>();
        for (ConfiguredSecret secret : secrets) {
            if (known.contains(secret.value())) {
                offending.add(secret.setting());
            }
        }
        if (!offending.isEmpty()) {
            throw new IllegalStateException(application + " refuses to start in the prod profile: " + String.join(", ", offending)
                    + (offending.size() == 1 ? " holds a value" : " hold values") + " published with Keyfleet (a demo, test or"
                    + " default secret anyone can read). Configure secrets of your own; see docs/operations.md, \"Secrets\".");
        }
    }
}
