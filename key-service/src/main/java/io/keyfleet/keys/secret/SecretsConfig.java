package io.keyfleet.keys.secret;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** {@code keyfleet.secrets.*}: which secret backend key-service uses and how it reaches it. */
@ConfigMapping(prefix = "keyfleet.secrets")
public interface SecretsConfig {

    /** {@code local} (envelope encryption in key-service's database) or {@code vault} (HashiCorp Vault KV v2). */
    @WithDefault("local")
    Backend backend();

    Local local();

    Vault vault();

    enum Backend {
        LOCAL, VAULT
    }

    interface Local {

        /**
         * File of master keys, one {@code <version>:<base64 of 32 bytes>} a line; the highest version wraps new
         * data keys, the others still unwrap. Env: {@code KEYFLEET_MASTER_KEY_FILE} (what {@code ./keyfleet up} sets) or
         * {@code KEYFLEET_SECRETS_LOCAL_MASTER_KEY_FILE}.
         */
        Optional<Path> masterKeyFile();

        /** The same as a value, comma separated. Env: {@code KEYFLEET_SECRETS_LOCAL_MASTER_KEYS}. */
        Optional<String> masterKeys();

        /** Rows re-wrapped per transaction by a rewrap. */
        @WithDefault("200")
        int rewrapBatchSize();
    }

    interface Vault {

        /** e.g. {@code https://vault.example:8200}. Required with {@code backend=vault}. */
        Optional<String> url();

        /** A Vault token (env {@code KEYFLEET_SECRETS_VAULT_TOKEN}); or use Kubernetes auth. */
        Optional<String> token();

        /** Mount path of the KV version 2 secrets engine. */
        @WithDefault("secret")
        String kvMount();

        @WithDefault("PT10S")
        Duration requestTimeout();

        Kubernetes kubernetes();

        interface Kubernetes {

            /** Vault role for Kubernetes auth; used when no token is set. */
            Optional<String> role();

            /** The service account JWT. */
            @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount/token")
            Path jwtPath();

            /** Mount path of the Kubernetes auth method. */
            @WithDefault("kubernetes")
            String authMount();
        }
    }
}
