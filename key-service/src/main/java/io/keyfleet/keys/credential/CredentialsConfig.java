package io.keyfleet.keys.credential;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "keyfleet.credentials")
public interface CredentialsConfig {

    /** How long a replaced secret keeps working after a rotation, unless the rotation names its own. */
    @WithDefault("PT24H")
    Duration defaultGracePeriod();

    /** How far a signed request's timestamp may be from the server clock, either way; nonces are kept this long. */
    @WithDefault("PT5M")
    Duration signatureWindow();

    /** Whether callback URLs may use plain http (dev and test only). */
    @WithDefault("false")
    boolean allowHttpCallback();
}
