package io.keyfleet.launcher;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The environment variables a service process is configured with: the one place that knows their names. The
 * services read them in their {@code application.properties} (prod profile); a deployment sets the same variables.
 * {@code ./keyfleet up} (cli's {@code Suite}), the cli's suite tests and the benchmarks all build a service's
 * environment here and hand it to {@link ServiceProcess#launch}:
 *
 * <pre>{@code
 * ServiceEnvironment environment = ServiceEnvironment.of(KeyfleetService.SIGNING_SERVICE, port)
 *         .database(jdbcUrl, user, password)
 *         .kafka(bootstrapServers)
 *         .secrets(new LocalSecrets(dataDirectory).ensure(notice -> { }))
 *         .peer(KeyfleetService.KEY_SERVICE, keyServiceBaseUrl);
 * }</pre>
 */
public final class ServiceEnvironment {

    private final KeyfleetService service;
    private final int port;
    private final Map<String, String> variables = new LinkedHashMap<>();
    private String host = "localhost";

    private ServiceEnvironment(KeyfleetService service, int port) {
        this.service = service;
        this.port = port;
        variables.put("QUARKUS_HTTP_PORT", String.valueOf(port));
    }

    /** The environment of {@code service} listening on HTTP {@code port}. */
    public static ServiceEnvironment of(KeyfleetService service, int port) {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
        }
        return new ServiceEnvironment(service, port);
    }

    /** Listens on 127.0.0.1 only (otherwise the prod profile's 0.0.0.0); {@link #baseUrl()} then names 127.0.0.1. */
    public ServiceEnvironment loopbackOnly() {
        host = "127.0.0.1";
        variables.put("QUARKUS_HTTP_HOST", host);
        return this;
    }

    /** The service's own database and the account it logs in with. */
    public ServiceEnvironment database(String jdbcUrl, String user, String password) {
        variables.put("KEYFLEET_DB_URL", jdbcUrl);
        variables.put("KEYFLEET_DB_USER", user);
        variables.put("KEYFLEET_DB_PASSWORD", password);
        return this;
    }

    /** The Kafka broker, e.g. {@code 127.0.0.1:9092}. */
    public ServiceEnvironment kafka(String bootstrapServers) {
        variables.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        return this;
    }

    /**
     * Where another service listens; a service not given keeps its own default address. For sync-service the sandbox
     * is also the one upstream it may call: tenant-supplied addresses pass its outbound policy only when public and
     * over https, so exactly the sandbox's port on loopback is allowed, over plain http; every other local port
     * (key-service's included) stays refused.
     */
    public ServiceEnvironment peer(KeyfleetService other, URI baseUrl) {
        switch (other) {
            case KEY_SERVICE -> variables.put("KEYFLEET_KEY_SERVICE_URL", baseUrl.toString());
            case SIGNING_SERVICE -> variables.put("KEYFLEET_SIGNING_URL", baseUrl.toString());
            case PROVIDER_SANDBOX -> {
                variables.put("KEYFLEET_GATEWAY_URL", baseUrl.toString());
                if (service == KeyfleetService.SYNC_SERVICE) {
                    int sandboxPort = baseUrl.getPort();
                    variables.put("KEYFLEET_OUTBOUND_ALLOW", "localhost:" + sandboxPort + ",127.0.0.1:" + sandboxPort
                            + ",[::1]:" + sandboxPort);
                    variables.put("KEYFLEET_OUTBOUND_ALLOW_HTTP", "true");
                }
            }
            default -> {
                // nothing calls token-service or sync-service
            }
        }
        return this;
    }

    /**
     * The local secrets this service gets: key-service, which alone touches secret material, the master key, the audit
     * HMAC key, the admin key file and every calling service's API key; a calling service its own API key;
     * token-service also the file it keeps its token encryption key in (made there on first start, beside the admin
     * key file).
     */
    public ServiceEnvironment secrets(LocalSecrets.Values secrets) {
        if (service == KeyfleetService.KEY_SERVICE) {
            variables.put("KEYFLEET_MASTER_KEY_FILE", secrets.masterKeyFile().toString());
            variables.put("KEYFLEET_AUDIT_HMAC_KEY", secrets.auditKey());
            variables.put("KEYFLEET_ADMIN_KEY_FILE", secrets.adminKeyFile().toString());
            serviceKeys(secrets.serviceKeys());
        } else if (secrets.serviceKeys().containsKey(service.moduleName())) {
            serviceApiKey(secrets.serviceKeys().get(service.moduleName()));
        }
        if (service == KeyfleetService.TOKEN_SERVICE) {
            variables.put("KEYFLEET_TOKENS_KEY_FILE", secrets.adminKeyFile().resolveSibling("token-encryption.key").toString());
        }
        return this;
    }

    /** key-service: the admin API key itself, instead of the admin key file it would otherwise make the key in. */
    public ServiceEnvironment adminApiKey(String key) {
        variables.remove("KEYFLEET_ADMIN_KEY_FILE");
        variables.put("KEYFLEET_ADMIN_API_KEY", key);
        return this;
    }

    /** key-service: the callers' API keys, caller name to key; each gets a credential with what that caller calls. */
    public ServiceEnvironment serviceKeys(Map<String, String> keys) {
        variables.put("KEYFLEET_SERVICE_KEYS", keys.entrySet().stream()
                .map(entry -> entry.getKey() + ":" + entry.getValue()).collect(Collectors.joining(",")));
        return this;
    }

    /** The API key this service calls the others with. */
    public ServiceEnvironment serviceApiKey(String key) {
        variables.put("KEYFLEET_SERVICE_API_KEY", key);
        return this;
    }

    /** Serves the OpenAPI document and Swagger UI (deployments keep them off). */
    public ServiceEnvironment apiDocs() {
        variables.put("KEYFLEET_API_DOCS_ENABLED", "true");
        return this;
    }

    /** Any other setting of the service, e.g. {@code KEYFLEET_KEYS_POOL_SIZE}. */
    public ServiceEnvironment set(String variable, String value) {
        variables.put(variable, value);
        return this;
    }

    public KeyfleetService service() {
        return service;
    }

    public int port() {
        return port;
    }

    /** {@code http://localhost:<port>}, or {@code http://127.0.0.1:<port>} when {@link #loopbackOnly()}. */
    public URI baseUrl() {
        return URI.create("http://" + host + ":" + port);
    }

    /** The variables, in the order they were set. */
    public Map<String, String> variables() {
        return Collections.unmodifiableMap(variables);
    }
}
