package io.keyfleet.kit.auth;

import io.keyfleet.auth.IpWhitelist;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The caller's address: the peer of the connection, unless that peer is a configured trusted proxy — then the
 * right-most address in X-Forwarded-For that is not itself a trusted proxy (the left part of the header is whatever
 * the client chose to send and proves nothing).
 */
@ApplicationScoped
public class SourceAddress {

    public static final String FORWARDED_FOR = "X-Forwarded-For";

    private final IpWhitelist trustedProxies;

    @Inject
    public SourceAddress(AuthConfig config) {
        this(config.trustedProxies().map(IpWhitelist::parse).orElse(IpWhitelist.parse(List.of())));
    }

    SourceAddress(IpWhitelist trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    public String of(String peer, String forwardedFor) {
        if (peer == null || trustedProxies.isEmpty() || !trustedProxies.allows(peer) || forwardedFor == null) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (IpWhitelist.parseAddress(hop).isEmpty()) {
                return peer; // a malformed header from a trusted proxy: trust nothing in it
            }
            if (!trustedProxies.allows(hop)) {
                return hop;
            }
        }
        return peer;
    }
}
