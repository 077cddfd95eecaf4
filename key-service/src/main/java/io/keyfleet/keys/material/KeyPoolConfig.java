package io.keyfleet.keys.material;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Its own root, so that keyfleet.keys.pool.* is not an unknown property of the keyfleet.keys mapping. */
@ConfigMapping(prefix = "keyfleet.keys.pool")
public interface KeyPoolConfig {

    /** RSA-2048 pairs kept ready in memory; 0 disables the pool. */
    @WithDefault("16")
    int size();
}
