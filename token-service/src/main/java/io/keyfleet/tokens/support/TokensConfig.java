package io.keyfleet.tokens.support;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

@ConfigMapping(prefix = "keyfleet.tokens")
public interface TokensConfig {

    /** Upstream token calls are signed through signing-service. */
    URI signingServiceUrl();

    /** The provider's gateway (the sandbox locally). */
    URI providerGatewayUrl();

    /** Tokens are refreshed this long before they expire. */
    @WithDefault("PT10M")
    Duration refreshMargin();
}
