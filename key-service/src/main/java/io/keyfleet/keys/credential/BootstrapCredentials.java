package io.keyfleet.keys.credential;

import io.keyfleet.auth.ApiKeyFormat;
import io.keyfleet.auth.IpWhitelist;
import io.keyfleet.auth.Scopes;
import io.keyfleet.auth.ServiceIdentity;
import io.keyfleet.keys.tenant.Tenant;
import io.keyfleet.keys.tenant.Tenants;
import io.keyfleet.kit.auth.AuthConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The credentials the suite needs before anyone can call it, made at start in the system tenant:
 * <ul>
 *   <li>the admin credential (every scope; acts for any tenant with the X-Keyfleet-Tenant header), with the API key
 *   the deployment gives in {@code keyfleet.credentials.admin-api-key} or in the file
 *   {@code keyfleet.credentials.admin-key-file}. When that file does not exist yet, key-service makes the key and
 *   writes it there (owner-only), the only place it is ever handed out: never to the console or the log. Without
 *   either setting key-service does not start;</li>
 *   <li>one credential per service named in {@code keyfleet.credentials.service-keys}, holding only what that service
 *   calls ({@link ServiceIdentity}), or less where {@code keyfleet.credentials.service-scopes} narrows it, with the API
 *   key configured for it.</li>
 * </ul>
 * Changing a configured key rotates the credential to it; the key it replaces keeps working for
 * {@code keyfleet.credentials.replaced-key-grace} (PT0S: not at all), or the credential's grace period when that is
 * not set.
 * Scopes follow configuration at every start: a credential made by an older version with more scopes is narrowed.
 * A unique bootstrap name per credential makes replicas starting together create each only once.
 */
@ApplicationScoped
public class BootstrapCredentials {

    static final String ADMIN = "admin";
    private static final Logger LOG = Logger.getLogger(BootstrapCredentials.class);

    @Inject
    Credentials credentials;

    @Inject
    Tenants tenants;

    @Inject
    CredentialsConfig config;

    @Inject
    AuthConfig authConfig;

    void onStart(@Observes StartupEvent start) {
        Map<String, String> serviceKeys = serviceKeys(config.serviceKeys().orElse(""));
        configure(adminKey(config.adminApiKey(), config.adminKeyFile()), serviceKeys,
                serviceScopes(config.serviceScopes().orElse(""), serviceKeys.keySet()));
    }

    /**
     * What a start does with the admin key (null: make one) and the services' keys and scopes; a later call with a
     * service's new key is what a restart with that key does.
     */
    void configure(String adminKey, Map<String, String> serviceKeys, Map<String, List<String>> serviceScopes) {
        config.replacedKeyGrace().ifPresent(grace -> {
            if (grace.isNegative()) {
                throw new IllegalStateException("keyfleet.credentials.replaced-key-grace must not be negative");
            }
        });
        ensureSystemTenant();
        ensure(ADMIN, Scopes.ALL, "Keyfleet administrator", adminKey);
        serviceKeys.forEach((service, key) -> ensure(ServiceIdentity.BOOTSTRAP_PREFIX + service, serviceScopes.get(service),
                "Keyfleet service " + service, key));
    }

    /**
     * The admin key the deployment gives: the configured one, or the content of the admin key file once it exists;
     * null when key-service is to make it and write it into that file. Refuses to go on with neither setting, or both.
     */
    static String adminKey(Optional<String> configured, Optional<Path> file) {
        if (configured.isPresent() && file.isPresent()) {
            throw new IllegalStateException("Set only one of keyfleet.credentials.admin-api-key (KEYFLEET_ADMIN_API_KEY) and "
                    + "keyfleet.credentials.admin-key-file (KEYFLEET_ADMIN_KEY_FILE)");
        }
        if (configured.isPresent()) {
            requireWellFormed(configured.get(), "keyfleet.credentials.admin-api-key");
            return configured.get();
        }
        if (file.isEmpty()) {
            throw new IllegalStateException("key-service needs the admin API key: set keyfleet.credentials.admin-api-key "
                    + "(KEYFLEET_ADMIN_API_KEY, e.g. from a Kubernetes Secret) or keyfleet.credentials.admin-key-file "
                    + "(KEYFLEET_ADMIN_KEY_FILE: the key in that file, or made on first start and written there, owner-only)");
        }
        if (!Files.exists(file.get())) {
            return null;
        }
        String key;
        try {
            key = Files.readString(file.get(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the admin API key file " + file.get() + " (keyfleet.credentials.admin-key-file)", e);
        }
        requireWellFormed(key, "The admin API key file " + file.get() + " (keyfleet.credentials.admin-key-file)");
        return key;
    }

    private void ensureSystemTenant() {
        String id = authConfig.systemTenant();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                if (Tenant.findById(id) == null) {
                    tenants.create(id, "Keyfleet itself");
                }
            });
        } catch (PersistenceException e) {
            LOG.debugf("The system tenant was created by another instance at the same time");
        }
    }

    private void ensure(String bootstrapName, List<String> scopes, String remark, String configuredKey) {
        ApiCredential existing = QuarkusTransaction.requiringNew().call(() -> ApiCredential.find("bootstrapName", bootstrapName).firstResult());
        if (existing != null && existing.isRevoked() && configuredKey != null && !Credentials.hash(configuredKey).equals(currentHash(existing))) {
            // revoked (a leaked key) and configured with a new key: the revoked one stays revoked, a new one takes the name
            requireNeverUsed(configuredKey, bootstrapName);
            UUID revoked = existing.id;
            Credentials.Issued issued;
            try {
                issued = QuarkusTransaction.requiringNew().call(() -> credentials.replaceRevokedBootstrap(revoked,
                        authConfig.systemTenant(), spec(scopes, remark), bootstrapName, configuredKey));
            } catch (PersistenceException e) {
                LOG.debugf("Credential %s was replaced by another instance at the same time", bootstrapName);
                return;
            }
            LOG.infof("Credential %s (%s) is revoked; credential %s takes its place with the configured key", revoked, bootstrapName,
                    issued.credential().id);
            return;
        }
        if (existing != null) {
            if (!existing.isRevoked() && !new HashSet<>(existing.scopeList()).equals(new HashSet<>(scopes))) {
                credentials.setBootstrapScopes(existing.id, scopes);
                LOG.infof("Credential %s (%s) now holds %s", existing.id, bootstrapName, scopes);
            }
            if (configuredKey != null && !existing.isRevoked() && !Credentials.hash(configuredKey).equals(currentHash(existing))) {
                requireNeverUsed(configuredKey, bootstrapName);
                Duration grace = config.replacedKeyGrace().orElse(existing.gracePeriod());
                credentials.replaceBootstrapKey(existing.id, configuredKey, grace);
                LOG.infof("Credential %s (%s) now uses the API key from configuration; the one it replaces %s", existing.id,
                        bootstrapName, grace.isZero() ? "no longer works" : "works for " + grace + " more");
            }
            return;
        }
        Credentials.Spec spec = spec(scopes, remark);
        Credentials.Issued issued;
        try {
            issued = QuarkusTransaction.requiringNew().call(
                    () -> credentials.createBootstrap(authConfig.systemTenant(), spec, bootstrapName, configuredKey));
        } catch (PersistenceException e) {
            LOG.debugf("Credential %s was created by another instance at the same time", bootstrapName);
            return;
        }
        LOG.infof("Created credential %s (%s) in tenant %s", issued.credential().id, bootstrapName, authConfig.systemTenant());
        if (configuredKey == null) {
            handOut(issued);
        }
    }

    private static Credentials.Spec spec(List<String> scopes, String remark) {
        return new Credentials.Spec(CredentialKind.API_KEY, true, scopes, IpWhitelist.parse(List.of()), null, null, remark, true, null);
    }

    /** A key once used (by this credential before, or by any other) is never taken again: a leaked key stays dead. */
    private void requireNeverUsed(String configuredKey, String bootstrapName) {
        if (QuarkusTransaction.requiringNew().call(() -> credentials.wasEverUsed(configuredKey))) {
            throw new IllegalStateException("The API key configured for " + bootstrapName + " was used before (by it or another "
                    + "credential); configure a newly made key");
        }
    }

    private static String currentHash(ApiCredential credential) {
        return QuarkusTransaction.requiringNew().call(() -> ApiCredentialSecret.current(credential).keyHash);
    }

    /**
     * The one moment the made admin key leaves key-service: into the admin key file, created owner-only before the key
     * is written to it. Never to the console or a log.
     */
    private void handOut(Credentials.Issued issued) {
        Path file = config.adminKeyFile().orElseThrow();
        writeAdminKey(file, issued.apiKey());
        LOG.infof("The admin API key of credential %s was written to %s (readable by this user only)", issued.credential().id, file);
    }

    /** A new file, owner-only from its creation on, holding the key; an existing file is never overwritten. */
    static void writeAdminKey(Path file, String apiKey) {
        try {
            Path directory = file.toAbsolutePath().getParent();
            if (directory != null) {
                Files.createDirectories(directory);
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, apiKey + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin API key to " + file + " (keyfleet.credentials.admin-key-file)", e);
        }
    }

    /** Parses "name:key,name:key"; a malformed entry stops the start with a message that never repeats the key. */
    public static Map<String, String> serviceKeys(String text) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            String name = colon < 0 ? "" : entry.substring(0, colon).strip();
            if (!name.matches("[a-z][a-z0-9-]{1,40}")) {
                throw new IllegalStateException("keyfleet.credentials.service-keys: every entry must be service-name:apikey "
                        + "with a name of lower-case letters, digits and dashes");
            }
            String key = entry.substring(colon + 1).strip();
            requireWellFormed(key, "keyfleet.credentials.service-keys for " + name);
            if (keys.put(name, key) != null) {
                throw new IllegalStateException("keyfleet.credentials.service-keys names " + name + " twice");
            }
        }
        return keys;
    }

    /**
     * Each service's scopes: its service's list, or the narrower one configured as
     * "service-name=scope scope;service-name=scope". Naming a service without a key, or a scope beyond the service's
     * list, stops the start.
     */
    static Map<String, List<String>> serviceScopes(String text, java.util.Set<String> services) {
        Map<String, List<String>> scopes = new LinkedHashMap<>();
        services.forEach(service -> scopes.put(service, ServiceIdentity.scopesOf(service)));
        for (String entry : text.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String service = equals < 0 ? "" : entry.substring(0, equals).strip();
            if (!services.contains(service)) {
                throw new IllegalStateException("keyfleet.credentials.service-scopes: every entry must be service-name=scope scope, "
                        + "for a service named in keyfleet.credentials.service-keys " + services + "; '" + printable(service)
                        + "' is not one");
            }
            List<String> narrowed = List.of(entry.substring(equals + 1).strip().split("[\\s,]+"));
            List<String> allowed = ServiceIdentity.scopesOf(service);
            for (String scope : narrowed) {
                if (!allowed.contains(scope)) {
                    throw new IllegalStateException("keyfleet.credentials.service-scopes: " + service + " may hold at most "
                            + allowed + "; '" + printable(scope) + "' is not one of them");
                }
            }
            scopes.put(service, List.copyOf(new java.util.LinkedHashSet<>(narrowed)));
        }
        return scopes;
    }

    private static String printable(String text) {
        String cut = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static void requireWellFormed(String key, String where) {
        if (!ApiKeyFormat.isWellFormed(key)) {
            throw new IllegalStateException(where + " is not a Keyfleet API key (kf_live_/kf_test_ + 46 characters with a valid "
                    + "checksum); make one with ./keyfleet or ApiKeyFormat.generate");
        }
    }
}
