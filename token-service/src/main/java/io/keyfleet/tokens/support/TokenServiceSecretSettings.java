package io.keyfleet.tokens.support;

import io.keyfleet.kit.crypto.VersionedKeys;
import io.keyfleet.kit.secrets.ConfiguredSecret;
import io.keyfleet.kit.secrets.SecretSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/** token-service's own secret setting, for service-kit's check of known values at start: each of the tokens' encryption keys. */
@ApplicationScoped
public class TokenServiceSecretSettings implements SecretSettings {

    @Inject
    TokensConfig config;

    @Override
    public List<ConfiguredSecret> secrets() {
        List<ConfiguredSecret> found = new ArrayList<>();
        config.encryptionKey().ifPresent(text -> VersionedKeys.material(text).forEach(key ->
                found.add(new ConfiguredSecret("keyfleet.tokens.encryption-key (KEYFLEET_TOKENS_KEY)", key))));
        return found;
    }
}
