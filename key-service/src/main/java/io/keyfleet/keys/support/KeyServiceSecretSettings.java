package io.keyfleet.keys.support;

import io.keyfleet.keys.credential.BootstrapCredentials;
import io.keyfleet.keys.credential.CredentialsConfig;
import io.keyfleet.keys.secret.SecretsConfig;
import io.keyfleet.kit.crypto.VersionedKeys;
import io.keyfleet.kit.secrets.ConfiguredSecret;
import io.keyfleet.kit.secrets.SecretSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * key-service's own secret settings, for service-kit's check of known values at start: the admin key (configured or in
 * its file), each service's key, the audit HMAC key and the local backend's master keys (value or file).
 */
@ApplicationScoped
public class KeyServiceSecretSettings implements SecretSettings {

    @Inject
    CredentialsConfig credentials;

    @Inject
    SecretsConfig secrets;

    @ConfigProperty(name = "keyfleet.audit.hmac-key")
    Optional<String> auditKey;

    @Override
    public List<ConfiguredSecret> secrets() {
        List<ConfiguredSecret> found = new ArrayList<>();
        credentials.adminApiKey().ifPresent(key -> found.add(new ConfiguredSecret("keyfleet.credentials.admin-api-key", key)));
        credentials.adminKeyFile().filter(Files::isRegularFile).ifPresent(file ->
                found.add(new ConfiguredSecret("keyfleet.credentials.admin-key-file (" + file + ")", read(file).strip())));
        BootstrapCredentials.serviceKeys(credentials.serviceKeys().orElse("")).forEach((service, key) ->
                found.add(new ConfiguredSecret("keyfleet.credentials.service-keys (" + service + ")", key)));
        auditKey.ifPresent(key -> found.add(new ConfiguredSecret("keyfleet.audit.hmac-key", key)));
        secrets.local().masterKeys().ifPresent(text ->
                VersionedKeys.material(text).forEach(key -> found.add(new ConfiguredSecret("keyfleet.secrets.local.master-keys", key))));
        secrets.local().masterKeyFile().filter(Files::isRegularFile).ifPresent(file -> VersionedKeys.material(read(file)).forEach(key ->
                found.add(new ConfiguredSecret("keyfleet.secrets.local.master-key-file (" + file + ")", key))));
        return found;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
