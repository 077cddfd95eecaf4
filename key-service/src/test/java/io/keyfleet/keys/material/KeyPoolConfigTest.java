package io.keyfleet.keys.material;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithDefault;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyPoolConfigTest {

    /** Stands for key-service's own keyfleet.keys mapping, which would reject keyfleet.keys.pool.* as unknown. */
    @ConfigMapping(prefix = "keyfleet.keys")
    interface KeysMapping {
        @WithDefault("x")
        String something();
    }

    @Test
    void defaultsTo16() {
        assertThat(config(Map.of()).getConfigMapping(KeyPoolConfig.class).size()).isEqualTo(16);
    }

    @Test
    void poolSizeSitsBesideTheKeysMappingWithoutBeingAnUnknownProperty() {
        SmallRyeConfig config = config(Map.of("keyfleet.keys.pool.size", "0", "keyfleet.keys.something", "y"));
        assertThat(config.getConfigMapping(KeyPoolConfig.class).size()).isZero();
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(KeysMapping.class)
                .withMapping(KeyPoolConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
    }
}
