package io.keyfleet.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for key-service in unit tests: a JDK {@link HttpServer} on a free local port that answers the requests it
 * was told about (method and path with query, else method and path alone) with canned JSON shaped like key-service's, and records every
 * request it gets. Anything else gets the 404 problem key-service gives for an unknown address.
 */
final class KeyServiceStub implements AutoCloseable {

    /** A request as the stub received it. */
    record Received(String method, String pathAndQuery, String tenantHeader, String contentType, String body) {
    }

    private record Answer(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    KeyServiceStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://localhost:" + server.getAddress().getPort());
    }

    KeyServiceStub answer(String method, String path, int status, String json) {
        return answer(method, path, status, "application/json", json);
    }

    KeyServiceStub answer(String method, String path, int status, String contentType, String body) {
        answers.put(method + " " + path, new Answer(status, contentType, body));
        return this;
    }

    /** A problem+json refusal, as key-service's exception mappers write it. */
    KeyServiceStub refuse(String method, String path, int status, String code, String detail) {
        return answer(method, path, status, "application/problem+json", problem(status, code, detail));
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    static String problem(int status, String code, String detail) {
        return "{\"type\":\"https://keyfleet.io/problems/x\",\"title\":\"Refused\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\",\"code\":\"" + code + "\",\"requestId\":\"req-1\"}";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            URI uri = exchange.getRequestURI();
            String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            received.add(new Received(exchange.getRequestMethod(), pathAndQuery,
                    exchange.getRequestHeaders().getFirst(KeyServiceClient.TENANT_HEADER),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            String method = exchange.getRequestMethod();
            Answer answer = answers.get(method + " " + pathAndQuery);
            if (answer == null) {
                answer = answers.getOrDefault(method + " " + uri.getRawPath(), new Answer(404,
                        "application/problem+json", problem(404, "NOT_FOUND", "No resource exists at this address.")));
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
