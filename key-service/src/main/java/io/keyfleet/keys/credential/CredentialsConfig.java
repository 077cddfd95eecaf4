package io.keyfleet.keys.credential;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;

@ConfigMapping(prefix = "keyfleet.credentials")
public interface CredentialsConfig {

    /** How long a replaced secret keeps working after a rotation, unless the rotation names its own. */
    @WithDefault("PT24H")
    Duration defaultGracePeriod();

    /** How far a signed request's timestamp may be from the server clock, either way; nonces are kept this long. */
    @WithDefault("PT5M")
    Duration signatureWindow();

    /**
     * Whether requests signed in the deprecated first format are still accepted (RequestSignature v1: no
     * X-Keyfleet-Signature-Version header; the signature does not cover X-Keyfleet-Tenant). Every v1 request is logged
     * and counted ({@code keyfleet_auth_signature_v1_total}); false refuses them with INVALID_SIGNATURE.
     */
    @WithDefault("true")
    boolean signatureV1Accepted();

    /** From the start of this day (UTC) v1 is refused even while {@link #signatureV1Accepted()} is true; none by default. */
    Optional<LocalDate> signatureV1RefusedFrom();

    /** How often nonces are forgotten, ended secrets destroyed and expiry warnings published (see CredentialJobs). */
    @WithDefault("60s")
    Duration jobsInterval();

    /** How long a SecretKey past its grace (unusable already) is kept before it is destroyed; revocation destroys at once. */
    @WithDefault("PT1H")
    Duration endedSecretRetention();

    /**
     * The admin API key, when the deployment provides it (e.g. from a Kubernetes Secret). Either this or
     * {@link #adminKeyFile()} must be set, not both; see {@link BootstrapCredentials}.
     */
    Optional<String> adminApiKey();

    /**
     * A file holding the admin API key; when it does not exist, key-service makes the key on first start and writes it
     * there (owner-only).
     */
    Optional<Path> adminKeyFile();

    /**
     * How long a bootstrap credential's key keeps working once configuration replaced it (a new key in
     * {@link #serviceKeys()} or {@link #adminApiKey()}); PT0S ends it at once. Unset: the credential's grace period
     * ({@link #defaultGracePeriod()} when it was made).
     */
    Optional<Duration> replacedKeyGrace();

    /** The suite's own services' API keys: comma-separated {@code service-name:apikey} pairs. */
    Optional<String> serviceKeys();

    /**
     * Narrower scopes for service credentials than their service's list ({@link io.keyfleet.auth.ServiceIdentity}):
     * {@code service-name=scope scope;service-name=scope}. Applied at every start.
     */
    Optional<String> serviceScopes();
}
