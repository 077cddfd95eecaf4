package io.keyfleet.keys.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * NOT Vault. No real Vault server can run on our build machines, so this is a small stand-in that implements the few
 * endpoints keyfleet uses, following Vault's documented HTTP API (developer.hashicorp.com/vault/api-docs):
 * <ul>
 *   <li>KV v2 at {@code /v1/<mount>/data/<path>}: {@code POST}/{@code PUT} with {@code {"options":{"cas":n},"data":{..}}}
 *       — a version counter per path, {@code cas} must equal the current version (0 = must not exist), else 400
 *       {@code {"errors":["check-and-set parameter did not match the current version"]}}; the answer's
 *       {@code data} is the new version's metadata. {@code GET ?version=n} answers {@code {"data":{"data":..,"metadata":..}}};
 *       an unknown path or version is 404 {@code {"errors":[]}}, a destroyed version is 404 with
 *       {@code "data":null} and the metadata ({@code "destroyed":true}).</li>
 *   <li>{@code POST /v1/<mount>/destroy/<path>} {@code {"versions":[n]}}: 204.</li>
 *   <li>{@code POST /v1/auth/<mount>/login} (Kubernetes auth) {@code {"role","jwt"}}: a client token in {@code auth}.</li>
 *   <li>{@code GET}/{@code HEAD /v1/sys/health}: unauthenticated; 200 when active, 503 when sealed.</li>
 *   <li>Every other call needs {@code X-Vault-Token}; missing or unknown is 403 {@code {"errors":["permission denied"]}}.</li>
 * </ul>
 * It records the requests so tests can check what went over the wire.
 */
final class FakeVaultServer implements AutoCloseable {

    record Recorded(String method, String path, String query, String token, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String mount;
    private final Map<String, List<ObjectNode>> versions = new HashMap<>(); // path -> versions; index 0 is version 1
    private final List<String> tokens = new CopyOnWriteArrayList<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private volatile String kubernetesRole;
    private volatile String kubernetesJwt;
    volatile boolean sealed;

    FakeVaultServer(String mount, String rootToken) throws IOException {
        this.mount = mount;
        this.tokens.add(rootToken);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Accept Kubernetes logins with this role and service account JWT. */
    void acceptKubernetesLogin(String role, String jwt) {
        this.kubernetesRole = role;
        this.kubernetesJwt = jwt;
    }

    List<Recorded> requests() {
        return new ArrayList<>(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        String token = exchange.getRequestHeaders().getFirst("X-Vault-Token");
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Recorded(method, path, query, token, body));
        try {
            synchronized (this) {
                route(exchange, method, path, query, token, body);
            }
        } catch (RuntimeException e) {
            send(exchange, 500, errors("internal error: " + e));
        }
    }

    private void route(HttpExchange exchange, String method, String path, String query, String token, String body)
            throws IOException {
        if (path.equals("/v1/sys/health") && (method.equals("GET") || method.equals("HEAD"))) {
            ObjectNode health = JSON.createObjectNode().put("initialized", true).put("sealed", sealed)
                    .put("standby", false).put("performance_standby", false)
                    .put("replication_performance_mode", "disabled").put("replication_dr_mode", "disabled")
                    .put("server_time_utc", Instant.now().getEpochSecond()).put("version", "1.17.0 (stand-in)")
                    .put("cluster_name", "stand-in").put("cluster_id", "00000000-0000-0000-0000-000000000000");
            send(exchange, sealed ? 503 : 200, health);
            return;
        }
        if (path.matches("/v1/auth/[^/]+/login") && method.equals("POST")) {
            JsonNode login = JSON.readTree(body);
            if (kubernetesRole == null || !kubernetesRole.equals(login.path("role").asText())) {
                send(exchange, 400, errors("invalid role name \"" + login.path("role").asText() + "\""));
            } else if (!kubernetesJwt.equals(login.path("jwt").asText())) {
                send(exchange, 403, errors("permission denied"));
            } else {
                String issued = "hvs." + UUID.randomUUID().toString().replace("-", "");
                tokens.add(issued);
                ObjectNode auth = JSON.createObjectNode().put("client_token", issued).put("accessor", "stand-in")
                        .put("lease_duration", 3600).put("renewable", true).put("entity_id", "stand-in")
                        .put("token_type", "service").put("orphan", true);
                auth.putArray("policies").add("default").add("keyfleet");
                auth.putArray("token_policies").add("default").add("keyfleet");
                auth.putObject("metadata").put("role", kubernetesRole).put("service_account_name", "key-service")
                        .put("service_account_namespace", "keyfleet");
                send(exchange, 200, envelope(null).set("auth", auth));
            }
            return;
        }
        if (token == null || !tokens.contains(token)) {
            send(exchange, 403, errors("permission denied"));
            return;
        }
        String data = "/v1/" + mount + "/data/";
        String destroy = "/v1/" + mount + "/destroy/";
        if (path.startsWith(data) && (method.equals("POST") || method.equals("PUT"))) {
            write(exchange, path.substring(data.length()), JSON.readTree(body));
        } else if (path.startsWith(data) && method.equals("GET")) {
            read(exchange, path.substring(data.length()), query);
        } else if (path.startsWith(destroy) && (method.equals("POST") || method.equals("PUT"))) {
            JsonNode versionsToDestroy = JSON.readTree(body).path("versions");
            if (!versionsToDestroy.isArray() || versionsToDestroy.isEmpty()) {
                send(exchange, 400, errors("no version number provided"));
                return;
            }
            List<ObjectNode> stored = versions.getOrDefault(path.substring(destroy.length()), List.of());
            for (JsonNode v : versionsToDestroy) {
                int n = v.asInt();
                if (n >= 1 && n <= stored.size()) {
                    ObjectNode entry = stored.get(n - 1);
                    entry.putNull("data");
                    ((ObjectNode) entry.get("metadata")).put("destroyed", true);
                }
            }
            send(exchange, 204, null);
        } else {
            send(exchange, 404, errors());
        }
    }

    private void write(HttpExchange exchange, String path, JsonNode request) throws IOException {
        if (!request.path("data").isObject()) {
            send(exchange, 400, errors("no data provided"));
            return;
        }
        List<ObjectNode> stored = versions.computeIfAbsent(path, p -> new ArrayList<>());
        JsonNode cas = request.path("options").path("cas");
        if (!cas.isMissingNode() && cas.asInt() != stored.size()) {
            send(exchange, 400, errors("check-and-set parameter did not match the current version"));
            return;
        }
        ObjectNode metadata = JSON.createObjectNode().put("created_time", Instant.now().toString())
                .putNull("custom_metadata").put("deletion_time", "").put("destroyed", false)
                .put("version", stored.size() + 1);
        ObjectNode entry = JSON.createObjectNode();
        entry.set("data", request.get("data").deepCopy());
        entry.set("metadata", metadata);
        stored.add(entry);
        send(exchange, 200, envelope(metadata.deepCopy()));
    }

    private void read(HttpExchange exchange, String path, String query) throws IOException {
        List<ObjectNode> stored = versions.get(path);
        int version = 0;
        if (query != null) {
            for (String parameter : query.split("&")) {
                if (parameter.startsWith("version=")) {
                    version = Integer.parseInt(parameter.substring("version=".length()));
                }
            }
        }
        if (stored == null || stored.isEmpty()) {
            send(exchange, 404, errors());
            return;
        }
        if (version == 0) {
            version = stored.size();
        }
        if (version < 1 || version > stored.size()) {
            send(exchange, 404, errors());
            return;
        }
        ObjectNode entry = stored.get(version - 1);
        boolean destroyed = entry.get("metadata").path("destroyed").asBoolean();
        send(exchange, destroyed ? 404 : 200, envelope(entry.deepCopy()));
    }

    private static ObjectNode envelope(JsonNode data) {
        ObjectNode response = JSON.createObjectNode().put("request_id", UUID.randomUUID().toString())
                .put("lease_id", "").put("renewable", false).put("lease_duration", 0);
        response.set("data", data);
        response.putNull("wrap_info");
        response.putNull("warnings");
        response.putNull("auth");
        return response;
    }

    private static ObjectNode errors(String... messages) {
        ObjectNode response = JSON.createObjectNode();
        ArrayNode list = response.putArray("errors");
        for (String message : messages) {
            list.add(message);
        }
        return response;
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        if (body == null || exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
