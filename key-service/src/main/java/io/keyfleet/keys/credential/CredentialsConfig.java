package io.keyfleet.keys.credential;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "keyfleet.credentials")
public interface CredentialsConfig {

    /** How long a replaced secret keeps working after a rotation, unless the rotation names its own. */
    @WithDefault("PT24H")
    Duration defaultGracePeriod();

    /** How far a signed request's timestamp may be from the server clock, either way; nonces are kept this long. */
    @WithDefault("PT5M")
    Duration signatureWindow();

    /** How often nonces are forgotten, ended secrets destroyed and expiry warnings published (see CredentialJobs). */
    @WithDefault("60s")
    Duration jobsInterval();

    /** How long a SecretKey past its grace (unusable already) is kept before it is destroyed; revocation destroys at once. */
    @WithDefault("PT1H")
    Duration endedSecretRetention();

    /**
     * The admin API key, when the deployment provides it (e.g. from a Kubernetes Secret). Without it key-service makes
     * one on first start and hands it out once: into {@link #adminKeyFile()} if set, else printed on the console.
     */
    Optional<String> adminApiKey();

    /** Where key-service writes the admin API key it made on first start (owner-only file). */
    Optional<Path> adminKeyFile();

    /** The suite's own services' API keys: comma-separated {@code service-name:apikey} pairs. */
    Optional<String> serviceKeys();

    /**
     * Narrower scopes for service credentials than their service's list ({@link io.keyfleet.auth.ServiceIdentity}):
     * {@code service-name=scope scope;service-name=scope}. Applied at every start.
     */
    Optional<String> serviceScopes();
}
