package io.keyfleet.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A credential's allowed source addresses: at most {@value #MAX_ENTRIES} entries, each an IPv4 or IPv6 address or a
 * CIDR block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). Empty means any address. Entries are parsed as literals
 * only; a host name is rejected, never resolved.
 */
public final class IpWhitelist {

    public static final int MAX_ENTRIES = 10;
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** One entry, e.g. 192.168.1.0/24; a single address has prefix 32 or 128. */
    public record Entry(String text, byte[] network, int prefix) {

        /** Whether the address (4 or 16 bytes) lies in this block; an IPv4 address never lies in an IPv6 block. */
        public boolean matches(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    /** A refused whitelist; the message names the offending entry. */
    public static class InvalidWhitelistException extends IllegalArgumentException {
        public InvalidWhitelistException(String message) {
            super(message);
        }
    }

    private final List<Entry> entries;

    private IpWhitelist(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static IpWhitelist parse(List<String> texts) {
        List<String> cleaned = new ArrayList<>();
        for (String text : texts == null ? List.<String>of() : texts) {
            if (text == null || text.isBlank()) {
                throw new InvalidWhitelistException("An IP whitelist entry is empty; remove it or give an address or CIDR block.");
            }
            cleaned.add(text.trim());
        }
        if (cleaned.size() > MAX_ENTRIES) {
            throw new InvalidWhitelistException("The IP whitelist has " + cleaned.size() + " entries; at most " + MAX_ENTRIES
                    + " are allowed. Merge addresses into CIDR blocks (e.g. 203.0.113.0/24).");
        }
        List<Entry> entries = new ArrayList<>();
        for (String text : cleaned) {
            entries.add(parseEntry(text));
        }
        return new IpWhitelist(entries);
    }

    /** Comma-separated form, as stored. */
    public static IpWhitelist parse(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return new IpWhitelist(List.of());
        }
        return parse(List.of(commaSeparated.split(",", -1)));
    }

    /** One address or CIDR block, without the whitelist's limit on entries (also used for lists of address ranges). */
    public static Entry parseEntry(String text) {
        String address = text;
        Integer prefix = null;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            address = text.substring(0, slash);
            String bits = text.substring(slash + 1);
            if (!bits.matches("\\d{1,3}")) {
                throw invalid(text);
            }
            prefix = Integer.parseInt(bits);
        }
        byte[] bytes = parseAddress(address).orElseThrow(() -> invalid(text));
        int max = bytes.length * 8;
        if (prefix == null) {
            prefix = max;
        } else if (prefix > max) {
            throw new InvalidWhitelistException("IP whitelist entry '" + printable(text) + "' has prefix /" + prefix
                    + "; an " + (max == 32 ? "IPv4" : "IPv6") + " prefix is at most /" + max + ".");
        }
        return new Entry(text, bytes, prefix);
    }

    /** The address bytes of an IPv4 or IPv6 literal (4 or 16 bytes; IPv4-mapped IPv6 becomes IPv4), never resolving a name. */
    public static Optional<byte[]> parseAddress(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String address = text.trim();
        if (IPV4.matcher(address).matches()) {
            String[] parts = address.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                bytes[i] = (byte) Integer.parseInt(parts[i]);
            }
            return Optional.of(bytes);
        }
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        if (address.indexOf(':') < 0 || !IPV6_CHARS.matcher(address).matches()) {
            return Optional.empty();
        }
        try {
            // with a ':' and only hex digits, colons and dots this is parsed as an IPv6 literal, never looked up
            return Optional.of(InetAddress.getByName(address).getAddress());
        } catch (UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public List<String> texts() {
        return entries.stream().map(Entry::text).toList();
    }

    public String toStored() {
        return entries.isEmpty() ? null : String.join(",", texts());
    }

    /** Whether the source address is allowed: always when the list is empty, never when the address is not a literal. */
    public boolean allows(String sourceIp) {
        if (entries.isEmpty()) {
            return true;
        }
        Optional<byte[]> address = parseAddress(sourceIp);
        if (address.isEmpty()) {
            return false;
        }
        for (Entry entry : entries) {
            if (entry.matches(address.get())) {
                return true;
            }
        }
        return false;
    }

    private static InvalidWhitelistException invalid(String text) {
        return new InvalidWhitelistException("IP whitelist entry '" + printable(text)
                + "' is not an IPv4 or IPv6 address or CIDR block (e.g. 203.0.113.7, 10.0.0.0/8, 2001:db8::/32).");
    }

    private static String printable(String text) {
        String cut = text.length() > 60 ? text.substring(0, 60) + "…" : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
