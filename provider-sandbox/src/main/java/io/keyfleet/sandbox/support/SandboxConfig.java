package io.keyfleet.sandbox.support;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "keyfleet.sandbox")
public interface SandboxConfig {

    /** A one-time app_auth_code expires this long after issue if unused, as on the real platform. */
    @WithDefault("PT24H")
    Duration authCodeLifetime();
}
