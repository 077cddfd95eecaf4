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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The credentials the suite needs before anyone can call it, made at start in the system tenant:
 * <ul>
 *   <li>the admin credential (every scope; acts for any tenant with the X-Keyfleet-Tenant header). Made once, on
 *   first start, with a fresh API key that is handed out exactly once — or with the key the deployment configured;</li>
 *   <li>one credential per service named in {@code keyfleet.credentials.service-keys}, holding only what that service
 *   calls ({@link ServiceIdentity}), or less where {@code keyfleet.credentials.service-scopes} narrows it, with the API
 *   key configured for it. Changing a configured key rotates the credential to it.</li>
 * </ul>
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
        Map<String, List<String>> serviceScopes = serviceScopes(config.serviceScopes().orElse(""), serviceKeys.keySet());
        config.adminApiKey().ifPresent(key -> requireWellFormed(key, "keyfleet.credentials.admin-api-key"));
        ensureSystemTenant();
        ensure(ADMIN, Scopes.ALL, "Keyfleet administrator", config.adminApiKey().orElse(null));
        serviceKeys.forEach((service, key) -> ensure(ServiceIdentity.BOOTSTRAP_PREFIX + service, serviceScopes.get(service),
                "Keyfleet service " + service, key));
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
                credentials.replaceBootstrapKey(existing.id, configuredKey);
                LOG.infof("Credential %s (%s) now uses the API key from configuration", existing.id, bootstrapName);
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

    /** The one moment the made admin key is shown: into the configured file, or on the console — never in a log. */
    private void handOut(Credentials.Issued issued) {
        if (config.adminKeyFile().isPresent()) {
            Path file = config.adminKeyFile().get();
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, issued.apiKey() + "\n", StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the admin API key to " + file, e);
            }
            LOG.infof("The admin API key was written to %s (readable by this user only)", file);
            return;
        }
        System.out.println("""

                ==== Keyfleet admin credential (shown once) =====================================
                credential: %s
                API key:    %s
                Store it now: it is not kept in clear anywhere and cannot be shown again.
                =================================================================================
                """.formatted(issued.credential().id, issued.apiKey()));
    }

    /** Parses "name:key,name:key"; a malformed entry stops the start with a message that never repeats the key. */
    static Map<String, String> serviceKeys(String text) {
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
