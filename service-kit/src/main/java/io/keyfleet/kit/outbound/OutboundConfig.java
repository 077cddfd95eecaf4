package io.keyfleet.kit.outbound;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Where calls to tenant-supplied addresses may go (see {@link OutboundPolicy}). */
@ConfigMapping(prefix = "keyfleet.outbound")
public interface OutboundConfig {

    /** Plain http to tenant-supplied addresses; false in production, true in the dev and test profiles. */
    @WithDefault("false")
    boolean allowHttp();

    /**
     * Endpoints allowed although their addresses are internal: exact {@code host:port}, {@code address:port} or
     * {@code [ipv6]:port} entries, e.g. the provider sandbox of a local suite. Nothing is allowed by default.
     */
    Optional<List<String>> allow();

    /** CIDR blocks refused besides the built-in ones: the cluster's pod, service and node ranges. */
    Optional<List<String>> deniedRanges();

    /** The longest a TCP connect (and TLS handshake) to a tenant-supplied address may take. */
    @WithDefault("PT5S")
    Duration connectTimeout();
}
