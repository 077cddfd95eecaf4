package io.keyfleet.deploy;

import io.keyfleet.events.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The deployable services, their HTTP port and database, and the environment variables each one reads. */
final class ServiceCatalog {

    record Service(String name, String database) {

        String module() {
            return name;
        }

        Map<String, String> applicationProperties() {
            return ConfigNames.properties(Repo.read(module() + "/src/main/resources/application.properties"));
        }

        /** {@code quarkus.http.port} from the service's application.properties. */
        int httpPort() {
            String port = applicationProperties().get("quarkus.http.port");
            if (port == null) {
                throw new IllegalStateException(name + " sets no quarkus.http.port");
            }
            return Integer.parseInt(port);
        }

        boolean isKeyfleetService() {
            return !name.equals("provider-sandbox");
        }
    }

    static final Service KEY_SERVICE = new Service("key-service", "key_service");
    static final List<Service> ALL = List.of(
            KEY_SERVICE,
            new Service("signing-service", "signing_service"),
            new Service("token-service", "token_service"),
            new Service("sync-service", "sync_service"),
            new Service("provider-sandbox", "provider_sandbox"));

    static final String KIT_DEFAULTS = "service-kit/src/main/resources/META-INF/microprofile-config.properties";

    /**
     * Names decided for authentication (CONTEXT.md of the team) that the lead is building in service-kit right now;
     * once they are in the services' configuration this list can shrink, the check reads them from there as well.
     */
    static final Set<String> DECIDED_FOR_ALL = Set.of("KEYFLEET_TRUSTED_PROXIES", "KEYFLEET_DB_URL", "KEYFLEET_DB_USER",
            "KEYFLEET_DB_PASSWORD", "KAFKA_BOOTSTRAP_SERVERS");
    static final Map<String, Set<String>> DECIDED = Map.of(
            "key-service", Set.of("KEYFLEET_SERVICE_KEYS", "KEYFLEET_ADMIN_KEY_FILE", "KEYFLEET_MASTER_KEY_FILE",
                    "KEYFLEET_AUDIT_HMAC_KEY"),
            "signing-service", Set.of("KEYFLEET_SERVICE_API_KEY", "KEYFLEET_KEY_SERVICE_URL"),
            "token-service", Set.of("KEYFLEET_SERVICE_API_KEY", "KEYFLEET_KEY_SERVICE_URL"),
            "sync-service", Set.of("KEYFLEET_SERVICE_API_KEY", "KEYFLEET_KEY_SERVICE_URL"));

    /** Read by Quarkus itself (HTTPS with the TLS registry's default key store), set by both deployments. */
    static final Set<String> TLS = Set.of("QUARKUS_HTTP_SSL_PORT", "QUARKUS_HTTP_INSECURE_REQUESTS", "QUARKUS_TLS_KEY_STORE_PEM__0__CERT",
            "QUARKUS_TLS_KEY_STORE_PEM__0__KEY", "QUARKUS_TLS_RELOAD_PERIOD");
    /** Standard {@code kafka.*} client settings every Kafka client of a service reads (the services of Topics.SERVICES). */
    static final Set<String> KAFKA_CLIENT = Set.of("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_SASL_JAAS_CONFIG",
            "KAFKA_SSL_TRUSTSTORE_TYPE", "KAFKA_SSL_TRUSTSTORE_LOCATION");

    private ServiceCatalog() {
    }

    static Service named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No service " + name));
    }

    /** The service's configuration files: service-kit's defaults overlaid with its application.properties. */
    static Map<String, String> configuration(Service service) {
        Map<String, String> configuration = new java.util.LinkedHashMap<>(ConfigNames.properties(Repo.read(KIT_DEFAULTS)));
        configuration.putAll(service.applicationProperties());
        return configuration;
    }

    /** Every configuration property the service reads: its and the kit's properties files and sources. */
    static Set<String> properties(Service service) {
        Set<String> names = new TreeSet<>();
        names.addAll(ConfigNames.propertyNames(Repo.read(service.module() + "/src/main/resources/application.properties")));
        names.addAll(ConfigNames.propertyNames(Repo.read(KIT_DEFAULTS)));
        for (String dir : List.of(service.module() + "/src/main/java", "service-kit/src/main/java")) {
            for (Path source : Repo.javaSources(dir)) {
                String text = Repo.read(source);
                names.addAll(ConfigNames.configMappingProperties(text));
                names.addAll(ConfigNames.configPropertyNames(text));
            }
        }
        return names;
    }

    /** The environment variables the service reads: {@code ${...}} references, env forms of its properties, decided names. */
    static Set<String> environment(Service service) {
        Set<String> names = new TreeSet<>();
        names.addAll(ConfigNames.envReferences(Repo.read(service.module() + "/src/main/resources/application.properties")));
        names.addAll(ConfigNames.envReferences(Repo.read(KIT_DEFAULTS)));
        properties(service).forEach(property -> names.add(ConfigNames.envName(property)));
        names.addAll(DECIDED_FOR_ALL);
        names.addAll(DECIDED.getOrDefault(service.name(), Set.of()));
        names.addAll(TLS);
        if (Topics.SERVICES.contains(service.name())) {
            names.addAll(KAFKA_CLIENT);
        }
        return names;
    }
}
