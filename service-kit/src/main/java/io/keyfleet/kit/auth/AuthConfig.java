package io.keyfleet.kit.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How a service authenticates its callers, and itself towards key-service. */
@ConfigMapping(prefix = "keyfleet.auth")
public interface AuthConfig {

    /** false only for tests of a single service without key-service; the tenant then comes from X-Keyfleet-Tenant. */
    @WithDefault("true")
    boolean enabled();

    /** Comma-separated addresses or CIDR blocks of proxies whose X-Forwarded-For is believed; none by default. */
    Optional<String> trustedProxies();

    /** How long a valid bearer-key verification is reused; revoke, rotate, disable and enable events end it at once. */
    @WithDefault("30s")
    Duration cacheTtl();

    @WithDefault("100000")
    int cacheMaxEntries();

    /** The tenant whose credentials may act for other tenants (with tenants:admin) and hold cross-tenant scopes. */
    @WithDefault("keyfleet")
    String systemTenant();

    /** This service's own API key, for calls to key-service (and other services). Not needed by key-service. */
    Optional<String> serviceApiKey();
}
