package io.keyfleet.sync.upstream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.keyfleet.auth.RequestSignature;
import io.keyfleet.kit.outbound.OutboundClient;
import io.keyfleet.kit.outbound.OutboundException;
import io.keyfleet.kit.outbound.OutboundRefusedException;
import io.keyfleet.sync.support.SyncConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The upstream resource-pool API (provider-sandbox implements it): requests signed with the pool's API secret as
 * auth-contracts' RequestSignature describes, member id as SecretId. The address is tenant-supplied, so every call
 * goes through service-kit's {@link OutboundClient}: the outbound policy first (a refusal is thrown on as
 * {@link OutboundRefusedException}), bounded by keyfleet.sync.upstream-timeout from connect to the last byte and by
 * keyfleet.sync.max-page-bytes. Answers are read with a streaming parser; a page may claim at most
 * keyfleet.sync.max-pages pages and carry at most keyfleet.sync.max-page-items items.
 */
@ApplicationScoped
public class PoolApiClient {

    /** Where and as whom to call; toString never shows the secret. */
    public record Endpoint(URI baseUrl, String memberId, String secret) {
        @Override
        public String toString() {
            return "Endpoint[" + baseUrl + ", " + memberId + "]";
        }
    }

    public record Account(String currency, BigDecimal balance, BigDecimal creditLimit) {
    }

    public record Item(String id, String name, String zoneId, String spec, BigDecimal price, String currency) {
    }

    public record Page(int page, int totalPages, List<Item> items) {
    }

    /** Catalog prices are numeric(18, 4): at most 14 digits before the point; more than 18 after is no price either. */
    private static final int PRICE_INTEGER_DIGITS = 14;
    private static final int PRICE_FRACTION_DIGITS = 18;
    private static final JsonFactory JSON = new JsonFactory();

    @Inject
    SyncConfig config;

    @Inject
    OutboundClient outbound;

    public Account account(Endpoint endpoint) {
        String path = "/pool-api/v1/account";
        byte[] body = call(endpoint, path, null);
        Map<String, Object> fields = new HashMap<>();
        parseObject(body, path, (field, parser) -> {
            switch (field) {
                case "currency" -> fields.put(field, text(parser, path));
                case "balance", "creditLimit" -> fields.put(field, decimal(parser, path));
                default -> parser.skipChildren();
            }
        });
        if (fields.get("balance") == null || fields.get("currency") == null) {
            throw new UpstreamException(UpstreamException.Kind.MALFORMED, "The account answer has no balance or currency.");
        }
        return new Account((String) fields.get("currency"), (BigDecimal) fields.get("balance"),
                fields.get("creditLimit") == null ? BigDecimal.ZERO : (BigDecimal) fields.get("creditLimit"));
    }

    public Page page(Endpoint endpoint, String typePath, int page, int pageSize) {
        byte[] body = call(endpoint, "/pool-api/v1/" + typePath, "page=" + page + "&pageSize=" + pageSize);
        String where = "page " + page + " of " + typePath;
        Integer[] totalPages = {null};
        List<List<Item>> items = new ArrayList<>(1);
        parseObject(body, where, (field, parser) -> {
            switch (field) {
                case "totalPages" -> totalPages[0] = pageCount(parser, where);
                case "items" -> items.add(items(parser, where));
                default -> parser.skipChildren();
            }
        });
        if (items.isEmpty() || totalPages[0] == null) {
            throw new UpstreamException(UpstreamException.Kind.MALFORMED, "Page " + page + " of " + typePath + " has no items or totalPages.");
        }
        return new Page(page, totalPages[0], items.get(0));
    }

    private int pageCount(JsonParser parser, String where) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw malformed(where + ": totalPages is not a whole number.");
        }
        boolean fitsInt = parser.getNumberType() == JsonParser.NumberType.INT;
        if (fitsInt && parser.getIntValue() < 0) {
            throw malformed(where + ": totalPages is negative.");
        }
        if (!fitsInt || parser.getIntValue() > config.maxPages()) {
            throw new UpstreamException(UpstreamException.Kind.TOO_LARGE, where + " claims " + parser.getText()
                    + " pages, more than keyfleet.sync.max-pages (" + config.maxPages() + ").");
        }
        return parser.getIntValue();
    }

    private List<Item> items(JsonParser parser, String where) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw malformed(where + ": items is not an array.");
        }
        List<Item> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (items.size() == config.maxPageItems()) {
                throw new UpstreamException(UpstreamException.Kind.TOO_LARGE, where + " has more than keyfleet.sync.max-page-items ("
                        + config.maxPageItems() + ") items.");
            }
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw malformed("An item on " + where + " is not an object.");
            }
            Map<String, Object> fields = new HashMap<>();
            readFields(parser, where, (field, value) -> {
                switch (field) {
                    case "id", "name", "zoneId", "spec", "currency" -> fields.put(field, text(value, where));
                    case "price" -> fields.put(field, price(value, where));
                    default -> value.skipChildren();
                }
            });
            if (fields.get("id") == null || fields.get("name") == null || fields.get("price") == null) {
                throw malformed("An item on " + where + " lacks id, name or price.");
            }
            items.add(new Item((String) fields.get("id"), (String) fields.get("name"), (String) fields.get("zoneId"),
                    (String) fields.get("spec"), (BigDecimal) fields.get("price"), (String) fields.get("currency")));
        }
        return items;
    }

    /** GETs {@code path} below the pool's base URL; the body of a 2xx answer, else the failure it means. */
    private byte[] call(Endpoint endpoint, String path, String query) {
        URI base = endpoint.baseUrl();
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String fullPath = basePath + path;
        URI uri = base.resolve(fullPath + (query == null ? "" : "?" + query));
        Map<String, String> headers = new LinkedHashMap<>(RequestSignature.headers(endpoint.memberId(), endpoint.secret(), "GET", fullPath,
                query, null, null));
        headers.put("Accept", "application/json");
        Duration timeout = config.upstreamTimeout();
        long maxBytes = config.maxPageBytes().asLongValue();
        OutboundClient.Response response;
        try {
            response = outbound.get(uri, "apiBaseUrl", headers, timeout, maxBytes);
        } catch (OutboundException e) {
            throw switch (e.kind()) {
                case UNRESOLVED -> new UpstreamException(UpstreamException.Kind.UNREACHABLE, "Cannot resolve the host of " + base
                        + "; check the API base URL and DNS.");
                case UNREACHABLE -> new UpstreamException(UpstreamException.Kind.UNREACHABLE, "Cannot reach " + base + " ("
                        + e.getMessage() + "); check the API base URL, DNS and firewall.");
                case TIMEOUT -> new UpstreamException(UpstreamException.Kind.TIMEOUT, "No answer from " + base + " within "
                        + timeout.toMillis() + " ms; check the API base URL and that the platform is up.");
                case TOO_LARGE -> new UpstreamException(UpstreamException.Kind.TOO_LARGE, "The platform's answer for " + path
                        + " is larger than keyfleet.sync.max-page-bytes (" + maxBytes + " bytes); reading stopped there.");
            };
        }
        return answer(response, path);
    }

    private static byte[] answer(OutboundClient.Response response, String path) {
        int status = response.status();
        if (status == 429) {
            throw new UpstreamException(UpstreamException.Kind.RATE_LIMITED, "The platform rate-limited " + path + ".", retryAfter(response));
        }
        if (status >= 500) {
            throw new UpstreamException(UpstreamException.Kind.SERVER_ERROR, "The platform answered HTTP " + status + " for " + path + ".");
        }
        if (status >= 200 && status < 300) {
            return response.body();
        }
        Map<String, String> error = errorFields(response.body());
        if (status == 401) {
            throw new UpstreamException(UpstreamException.Kind.AUTH_FAILED, "The platform refused the credentials ("
                    + error.getOrDefault("code", "HTTP 401") + "): check the member id and API secret. " + error.getOrDefault("message", ""));
        }
        if (status == 403) {
            throw new UpstreamException(UpstreamException.Kind.IP_NOT_AUTHORIZED, "The platform refused this server's address ("
                    + error.getOrDefault("code", "HTTP 403") + "): " + error.getOrDefault("message", "add it to the pool's authorized IPs upstream."));
        }
        throw new UpstreamException(UpstreamException.Kind.REFUSED, "The platform answered HTTP " + status + " for " + path + ": "
                + error.getOrDefault("message", ""));
    }

    /** {@code code} and {@code message} of an error answer, each cut to 200 printable characters; none when it is not JSON. */
    private static Map<String, String> errorFields(byte[] body) {
        Map<String, String> fields = new HashMap<>();
        try {
            parseObject(body, "the error answer", (field, parser) -> {
                if ((field.equals("code") || field.equals("message")) && parser.currentToken().isScalarValue()) {
                    String text = parser.getText().replaceAll("[^\\x20-\\x7e]", "?");
                    fields.put(field, text.length() > 200 ? text.substring(0, 200) + "…" : text);
                } else {
                    parser.skipChildren();
                }
            });
        } catch (UpstreamException e) {
            return Map.of();
        }
        return fields;
    }

    /** Retry-After in seconds, else X-RateLimit-Reset as Unix seconds, else one second. */
    static Duration retryAfter(OutboundClient.Response response) {
        try {
            String retryAfter = response.header("Retry-After").orElse(null);
            if (retryAfter != null) {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.trim())));
            }
            String reset = response.header("X-RateLimit-Reset").orElse(null);
            if (reset != null) {
                Duration wait = Duration.between(Instant.now(), Instant.ofEpochSecond(Long.parseLong(reset.trim())));
                return wait.isNegative() ? Duration.ZERO : wait;
            }
        } catch (NumberFormatException | java.time.DateTimeException | ArithmeticException e) {
            // an unreadable header: fall back to a short wait
        }
        return Duration.ofSeconds(1);
    }

    @FunctionalInterface
    private interface FieldReader {
        /** Reads the value the parser is on (or skips it with {@link JsonParser#skipChildren()}). */
        void read(String field, JsonParser parser) throws IOException;
    }

    /** Streams through one JSON object, handing each top-level field to the reader; anything else is MALFORMED. */
    private static void parseObject(byte[] body, String where, FieldReader reader) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("The platform's answer for " + where + " is not a JSON object.");
            }
            readFields(parser, where, reader);
        } catch (IOException e) {
            throw malformed("The platform's answer for " + where + " is not valid JSON.");
        }
    }

    /** The fields of the object the parser has just entered, up to its end. */
    private static void readFields(JsonParser parser, String where, FieldReader reader) throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            reader.read(field, parser);
        }
        if (token != JsonToken.END_OBJECT) {
            throw malformed("The platform's answer for " + where + " ends early.");
        }
    }

    private static String text(JsonParser parser, String where) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!token.isScalarValue()) {
            throw malformed("A text field on " + where + " holds " + token + ".");
        }
        return parser.getText();
    }

    private static BigDecimal decimal(JsonParser parser, String where) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token.isNumeric()) {
            return parser.getDecimalValue();
        }
        if (token == JsonToken.VALUE_STRING) {
            try {
                return new BigDecimal(parser.getText().trim());
            } catch (NumberFormatException e) {
                throw malformed("A number on " + where + " is not one: '" + cut(parser.getText()) + "'.");
            }
        }
        throw malformed("A number on " + where + " holds " + token + ".");
    }

    private static BigDecimal price(JsonParser parser, String where) throws IOException {
        BigDecimal price = decimal(parser, where);
        if (price != null && (price.precision() - price.scale() > PRICE_INTEGER_DIGITS
                || price.stripTrailingZeros().scale() > PRICE_FRACTION_DIGITS)) {
            throw malformed("A price on " + where + " is out of range (at most " + PRICE_INTEGER_DIGITS + " digits before and "
                    + PRICE_FRACTION_DIGITS + " after the point).");
        }
        return price;
    }

    private static UpstreamException malformed(String message) {
        return new UpstreamException(UpstreamException.Kind.MALFORMED, message);
    }

    private static String cut(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }
}
