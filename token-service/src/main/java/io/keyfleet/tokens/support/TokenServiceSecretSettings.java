package io.keyfleet.tokens.support;

import io.keyfleet.kit.secrets.ConfiguredSecret;
import io.keyfleet.kit.secrets.SecretSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** token-service's own secret setting, for service-kit's check of known values at start: the tokens' encryption key. */
@ApplicationScoped
public class TokenServiceSecretSettings implements SecretSettings {

    @Inject
    TokensConfig config;

    @Override
    public List<ConfiguredSecret> secrets() {
        return config.encryptionKey().map(key -> List.of(new ConfiguredSecret("keyfleet.tokens.encryption-key (KEYFLEET_TOKENS_KEY)", key)))
                .orElse(List.of());
    }
}
