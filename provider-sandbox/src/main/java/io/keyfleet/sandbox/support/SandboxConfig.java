package io.keyfleet.sandbox.support;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "keyfleet.sandbox")
public interface SandboxConfig {

    /** A one-time app_auth_code expires this long after issue if unused, as on the real platform. */
    @WithDefault("PT24H")
    Duration authCodeLifetime();

    /**
     * The platform's private key (PKCS#8, base64 or PEM). When absent, a pair is generated on first start and kept in
     * the sandbox's database.
     */
    Optional<String> platformPrivateKey();

    /** Token lifetimes of an app registered without its own: Alipay's documented 365 and 372 days. */
    @WithDefault("31536000")
    long defaultAccessLifetimeSeconds();

    @WithDefault("32140800")
    long defaultRefreshLifetimeSeconds();

    /** A v3 request whose Authorization timestamp is further than this from the sandbox clock is refused. */
    @WithDefault("PT15M")
    Duration v3TimestampWindow();
}
