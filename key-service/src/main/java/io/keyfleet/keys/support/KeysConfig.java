package io.keyfleet.keys.support;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "keyfleet.keys")
public interface KeysConfig {

    /** How long a replaced key version stays valid so in-flight callers don't break; a key may set its own. */
    @WithDefault("PT24H")
    Duration defaultGracePeriod();

    /** How often grace periods, expiry warnings and auto-rotation are looked at. */
    @WithDefault("60s")
    Duration lifecycleInterval();
}
