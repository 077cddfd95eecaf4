package io.keyfleet.bench.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.auth.RequestSignature;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The reference for reading: every page of every list of one upstream account, fetched from provider-sandbox's
 * resource-pool API the way sync-service fetches them (signed GETs one after the other, same page size, JSON parsed
 * into items) and nothing else: no database.
 */
final class UpstreamReference {

    /** The lists in sync order, as sync-service's CatalogType names them. */
    static final List<String> TYPES = List.of("zones", "operating-systems", "cloud-server-lines", "hosting-lines",
            "hosting-power-options", "bare-metal-lines", "bare-metal-disk-models");

    record Row(String type, String id, String name, String zoneId, String spec, BigDecimal price, String currency, String hash) {
    }

    record Result(int pages, List<Row> rows, double seconds) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private UpstreamReference() {
    }

    static Result fetchAll(HttpClient http, URI sandbox, String memberId, String secret, int pageSize, Duration timeout) throws Exception {
        List<Row> rows = new ArrayList<>();
        int pages = 0;
        long start = System.nanoTime();
        for (String type : TYPES) {
            int totalPages = 1;
            for (int page = 1; page <= totalPages; page++) {
                String path = "/pool-api/v1/" + type;
                String query = "page=" + page + "&pageSize=" + pageSize;
                HttpRequest.Builder request = HttpRequest.newBuilder(sandbox.resolve(path + "?" + query)).timeout(timeout).GET();
                RequestSignature.headers(memberId, secret, "GET", path, query, null, null).forEach(request::header);
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("GET " + path + "?" + query + " answered " + response.statusCode() + ": " + response.body());
                }
                JsonNode body = JSON.readTree(response.body());
                totalPages = body.get("totalPages").asInt();
                for (JsonNode item : body.get("items")) {
                    rows.add(new Row(type, item.get("id").asText(), item.get("name").asText(), text(item, "zoneId"), text(item, "spec"),
                            item.get("price").decimalValue(), text(item, "currency"), null));
                }
                pages++;
            }
        }
        return new Result(pages, rows, (System.nanoTime() - start) / 1e9);
    }

    /** The rows with a content hash each (SHA-256 hex, as sync-service stores one): what the COPY reference writes. */
    static List<Row> hashed(List<Row> rows) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        List<Row> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            String hash = HexFormat.of().formatHex(sha256.digest((row.id() + row.name() + row.price()).getBytes(StandardCharsets.UTF_8)));
            out.add(new Row(row.type(), row.id(), row.name(), row.zoneId(), row.spec(), row.price(), row.currency(), hash));
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
