package io.keyfleet.kit.secrets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/** The secret settings every service shares: its database password, its own API key and its Kafka login's password. */
@ApplicationScoped
class KitSecretSettings implements SecretSettings {

    static final String DATABASE_PASSWORD = "quarkus.datasource.password";
    static final String SERVICE_API_KEY = "keyfleet.auth.service-api-key";
    static final String KAFKA_JAAS_CONFIG = "kafka.sasl.jaas.config";
    private static final Pattern JAAS_PASSWORD = Pattern.compile("\\bpassword\\s*=\\s*\"([^\"]*)\"");

    @Inject
    Config config;

    @Override
    public List<ConfiguredSecret> secrets() {
        List<ConfiguredSecret> secrets = new ArrayList<>();
        value(DATABASE_PASSWORD).ifPresent(v -> secrets.add(new ConfiguredSecret(DATABASE_PASSWORD + " (KEYFLEET_DB_PASSWORD)", v)));
        value(SERVICE_API_KEY).ifPresent(v -> secrets.add(new ConfiguredSecret(SERVICE_API_KEY + " (KEYFLEET_SERVICE_API_KEY)", v)));
        value(KAFKA_JAAS_CONFIG).flatMap(KitSecretSettings::jaasPassword)
                .ifPresent(v -> secrets.add(new ConfiguredSecret(KAFKA_JAAS_CONFIG + " (KAFKA_SASL_JAAS_CONFIG) password", v)));
        return secrets;
    }

    /** The {@code password="..."} of a JAAS login module line. */
    static Optional<String> jaasPassword(String jaasConfig) {
        Matcher matcher = JAAS_PASSWORD.matcher(jaasConfig);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private Optional<String> value(String property) {
        return config.getOptionalValue(property, String.class).filter(v -> !v.isBlank());
    }
}
