package io.keyfleet.kit.outbound;

import io.keyfleet.auth.IpWhitelist;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Where calls to tenant-supplied addresses may go (an upstream pool's API base URL, a credential's callback URL).
 * https only unless {@code allowHttp} (dev and test); the host name is resolved once and every address it resolves to
 * must be public: loopback, unspecified, private, carrier-grade NAT, link-local (cloud metadata), multicast and
 * reserved addresses are refused, IPv4 inside IPv6 (mapped, compatible, NAT64, 6to4) is judged by the IPv4 address, and
 * so are the operator's own ranges (the cluster's). An operator allow-list of exact {@code host:port} and
 * {@code address:port} entries lets one internal endpoint through (e.g. a local provider sandbox). The caller then
 * connects to the {@link Target#address() address that was checked}, never resolving the name again.
 */
public final class OutboundPolicy {

    /** Name resolution; the JDK's by default, a fixed table in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * A checked destination: connect to {@code address:port}; {@code host} is the name for the Host header, SNI and the
     * certificate check.
     */
    public record Target(URI uri, boolean https, String host, int port, InetAddress address) {

        /** What to request: the URI's raw path ("/" when empty) and query. */
        public String pathAndQuery() {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        }
    }

    private record Range(IpWhitelist.Entry block, String what) {
    }

    private static final Logger LOG = Logger.getLogger(OutboundPolicy.class);
    private static final String PRIVATE = "a private address";
    private static final List<Range> BUILT_IN = List.of(
            range("0.0.0.0/8", "an unspecified address"),
            range("127.0.0.0/8", "a loopback address"),
            range("10.0.0.0/8", PRIVATE),
            range("172.16.0.0/12", PRIVATE),
            range("192.168.0.0/16", PRIVATE),
            range("100.64.0.0/10", "a carrier-grade NAT address"),
            range("169.254.0.0/16", "a link-local address"),
            range("192.0.0.0/24", "a special-purpose address"),
            range("224.0.0.0/4", "a multicast address"),
            range("240.0.0.0/4", "a reserved address"),
            range("::/128", "an unspecified address"),
            range("::1/128", "a loopback address"),
            range("fe80::/10", "a link-local address"),
            range("fec0::/10", PRIVATE),
            range("fc00::/7", PRIVATE),
            range("ff00::/8", "a multicast address"));
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");

    private final boolean allowHttp;
    private final Set<String> allowedNames = new HashSet<>();
    private final Set<String> allowedAddresses = new HashSet<>();
    private final List<Range> refused = new ArrayList<>(BUILT_IN);
    private final Resolver resolver;

    /**
     * @param allow        {@code host:port}, {@code address:port} or {@code [ipv6]:port} entries
     * @param deniedRanges CIDR blocks refused besides the built-in ones
     * @throws IllegalArgumentException naming the setting and entry that cannot be read
     */
    public OutboundPolicy(boolean allowHttp, List<String> allow, List<String> deniedRanges, Resolver resolver) {
        this.allowHttp = allowHttp;
        this.resolver = resolver;
        for (String entry : allow) {
            addAllowed(entry);
        }
        for (String text : deniedRanges) {
            try {
                refused.add(new Range(IpWhitelist.parseEntry(text.trim()), "an address of this deployment's network"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("keyfleet.outbound.denied-ranges: '" + text.trim()
                        + "' is not an address or CIDR block (e.g. 10.96.0.0/12, fd00:10:96::/112)");
            }
        }
    }

    public static OutboundPolicy of(OutboundConfig config) {
        return new OutboundPolicy(config.allowHttp(), config.allow().orElse(List.of()), config.deniedRanges().orElse(List.of()),
                InetAddress::getAllByName);
    }

    /**
     * Checks a tenant-supplied URL and resolves its host once.
     *
     * @param field the request field the URL came from, named in a refusal
     * @return where to connect
     * @throws OutboundRefusedException when the scheme or any address the host resolves to is refused
     * @throws UnknownHostException when the host does not resolve
     */
    public Target check(URI uri, String field) throws UnknownHostException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean https = scheme.equals("https");
        if (!https && !scheme.equals("http")) {
            throw new OutboundRefusedException(OutboundRefusedException.SCHEME_REFUSED, field + ": only https URLs are called"
                    + (allowHttp ? " (and http here)." : "."));
        }
        if (!https && !allowHttp) {
            throw new OutboundRefusedException(OutboundRefusedException.SCHEME_REFUSED, field
                    + ": plain http is refused; give an https URL.");
        }
        String host = host(uri);
        if (host == null) {
            throw new OutboundRefusedException(OutboundRefusedException.ADDRESS_REFUSED, field + ": the URL has no host.");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
        InetAddress[] addresses = resolver.resolve(host);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        boolean nameAllowed = allowedNames.contains(host + ":" + port);
        for (InetAddress address : addresses) {
            if (nameAllowed || allowedAddresses.contains(key(address.getAddress(), port))) {
                continue;
            }
            Optional<String> why = refusal(address.getAddress());
            if (why.isPresent()) {
                LOG.infof("Refused a call to %s (%s:%d, %s) given as %s", host, address.getHostAddress(), port, why.get(), field);
                boolean literal = IpWhitelist.parseAddress(host).isPresent();
                throw new OutboundRefusedException(OutboundRefusedException.ADDRESS_REFUSED, field + ": " + (literal ? host + " is "
                        : "'" + host + "' resolves to ") + why.get() + "; only public addresses are called.");
            }
        }
        return new Target(uri, https, host, port, addresses[0]);
    }

    /** Why an address is not called (e.g. "a loopback address"); empty for a public address. */
    public Optional<String> refusal(InetAddress address) {
        return refusal(address.getAddress());
    }

    private Optional<String> refusal(byte[] address) {
        for (Range range : refused) {
            if (range.block().matches(address)) {
                return Optional.of(range.what());
            }
        }
        byte[] embedded = address.length == 16 ? embeddedIpv4(address) : null;
        return embedded == null ? Optional.empty() : refusal(embedded).map(what -> what + " (inside an IPv6 address)");
    }

    /** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96), -compatible (::/96), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    private static byte[] embeddedIpv4(byte[] a) {
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
            firstTenZero &= a[i] == 0;
        }
        boolean mapped = firstTenZero && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
        boolean compatible = firstTenZero && a[10] == 0 && a[11] == 0;
        boolean nat64 = a[0] == 0 && a[1] == 0x64 && (a[2] & 0xff) == 0xff && (a[3] & 0xff) == 0x9b && allZero(a, 4, 12);
        if (mapped || compatible || nat64) {
            return new byte[] {a[12], a[13], a[14], a[15]};
        }
        if (a[0] == 0x20 && a[1] == 0x02) {
            return new byte[] {a[2], a[3], a[4], a[5]};
        }
        return null;
    }

    private static boolean allZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The URI's host in lower case, without IPv6 brackets or a trailing dot; null when it has none. */
    private static String host(URI uri) {
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            return null;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private void addAllowed(String text) {
        String entry = text.trim().toLowerCase(Locale.ROOT);
        String host;
        String port;
        if (entry.startsWith("[")) {
            int close = entry.indexOf("]:");
            host = close < 0 ? "" : entry.substring(1, close);
            port = close < 0 ? "" : entry.substring(close + 2);
        } else {
            int colon = entry.lastIndexOf(':');
            boolean oneColon = colon > 0 && entry.indexOf(':') == colon;
            host = oneColon ? entry.substring(0, colon) : "";
            port = oneColon ? entry.substring(colon + 1) : "";
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        int number = port.matches("\\d{1,5}") ? Integer.parseInt(port) : 0;
        Optional<byte[]> literal = IpWhitelist.parseAddress(host);
        if (number < 1 || number > 65535 || literal.isEmpty() && !HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("keyfleet.outbound.allow: '" + text.trim() + "' is not host:port, address:port or "
                    + "[ipv6]:port (e.g. provider-sandbox:8090, 127.0.0.1:8090, [::1]:8090)");
        }
        if (literal.isPresent()) {
            allowedAddresses.add(key(literal.get(), number));
        } else {
            allowedNames.add(host + ":" + number);
        }
    }

    private static String key(byte[] address, int port) {
        try {
            return InetAddress.getByAddress(address).getHostAddress() + "|" + port;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an address of " + address.length + " bytes", e);
        }
    }

    private static Range range(String cidr, String what) {
        return new Range(IpWhitelist.parseEntry(cidr), what);
    }
}
