package io.keyfleet.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * key-service's management API ({@code /v1/tenants}, {@code /v1/keys}) over {@link HttpClient}, JSON through Jackson.
 * Answers are mapped to the views below (unknown fields ignored, instants and durations kept as key-service wrote
 * them). A refusal becomes a {@link KeyServiceException} carrying the problem's detail and code.
 */
final class KeyServiceClient {

    static final String TENANT_HEADER = "X-Keyfleet-Tenant";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Generating an RSA-4096 pair when key-service's pool is empty takes a while. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final int PAGE_SIZE = 200;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record TenantView(String id, String name, String createdAt) {
    }

    /** The only answer that carries a private key: the version just generated (never for imported material). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record NewVersion(String keyId, int version, String state, String algorithm, String fingerprint,
                      String publicKeyPem, String publicKeyBase64, String privateKeyPem, String notice) {

        /** Without the private key, so that no log, assertion message or debugger shows it. */
        @Override
        public String toString() {
            return "NewVersion[keyId=" + keyId + ", version=" + version + ", state=" + state + ", algorithm="
                    + algorithm + ", fingerprint=" + fingerprint + ", privateKey="
                    + (privateKeyPem == null ? "none" : "(hidden)") + "]";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record VersionView(int version, String state, String algorithm, String fingerprint, String publicKey,
                       boolean canSign, String createdAt, String promotedAt, String validUntil, String retiredAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record KeyView(String keyId, String provider, String appId, String environment, String algorithm, String origin,
                   int currentVersion, String gracePeriod, Integer rotateAfterDays, Integer warnDaysBefore,
                   String revokedAt, String createdAt, List<VersionView> versions) {

        KeyView {
            versions = versions == null ? List.of() : List.copyOf(versions);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record KeyPage(List<KeyView> items, int page, int size, long total) {

        KeyPage {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Problem(String title, int status, String detail, String code, String requestId) {
    }

    private final URI baseUrl;
    private final String tenant;
    private final String apiKey;
    private final HttpClient http;

    /**
     * {@code tenant} may be null for calls that act for no tenant ({@link #createTenant}); {@code apiKey} null sends no
     * credential (key-service then says so).
     */
    KeyServiceClient(URI baseUrl, String tenant, String apiKey) {
        this.baseUrl = baseUrl;
        this.tenant = tenant;
        this.apiKey = apiKey;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    URI baseUrl() {
        return baseUrl;
    }

    TenantView createTenant(String id, String name) throws KeyServiceException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("name", name);
        return send("POST", "/v1/tenants", body, TenantView.class);
    }

    NewVersion generate(String provider, String appId, String environment, Optional<String> algorithm)
            throws KeyServiceException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("provider", provider);
        body.put("appId", appId);
        body.put("environment", environment);
        algorithm.ifPresent(value -> body.put("algorithm", value));
        return send("POST", "/v1/keys", body, NewVersion.class);
    }

    NewVersion rotate(UUID keyId, Optional<String> algorithm) throws KeyServiceException {
        String query = algorithm.map(value -> "?algorithm=" + encode(value)).orElse("");
        return send("POST", "/v1/keys/" + keyId + "/rotate" + query, null, NewVersion.class);
    }

    NewVersion stage(UUID keyId, Optional<String> algorithm) throws KeyServiceException {
        Map<String, Object> body = new LinkedHashMap<>();
        algorithm.ifPresent(value -> body.put("algorithm", value));
        return send("POST", "/v1/keys/" + keyId + "/versions", body, NewVersion.class);
    }

    KeyView promote(UUID keyId, int version) throws KeyServiceException {
        return send("POST", "/v1/keys/" + keyId + "/versions/" + version + "/promote", null, KeyView.class);
    }

    KeyView key(UUID keyId) throws KeyServiceException {
        return send("GET", "/v1/keys/" + keyId, null, KeyView.class);
    }

    KeyPage listPage(Optional<String> provider, Optional<String> appId, Optional<String> environment, int page,
                     int size) throws KeyServiceException {
        StringJoiner query = new StringJoiner("&", "?", "");
        provider.ifPresent(value -> query.add("provider=" + encode(value)));
        appId.ifPresent(value -> query.add("appId=" + encode(value)));
        environment.ifPresent(value -> query.add("environment=" + encode(value)));
        query.add("page=" + page).add("size=" + size);
        return send("GET", "/v1/keys" + query, null, KeyPage.class);
    }

    /** Every key matching the filters, page after page. */
    List<KeyView> listAll(Optional<String> provider, Optional<String> appId, Optional<String> environment)
            throws KeyServiceException {
        List<KeyView> keys = new ArrayList<>();
        for (int page = 0; ; page++) {
            KeyPage found = listPage(provider, appId, environment, page, PAGE_SIZE);
            keys.addAll(found.items());
            if (found.items().isEmpty() || keys.size() >= found.total()) {
                return keys;
            }
        }
    }

    /** The public key as key-service serves it for download: PEM, or the bare base64 provider consoles ask for. */
    String publicKey(UUID keyId, boolean pem, Optional<Integer> version) throws KeyServiceException {
        String query = "?format=" + (pem ? "pem" : "base64") + version.map(v -> "&version=" + v).orElse("");
        HttpResponse<String> response = exchange("GET", "/v1/keys/" + keyId + "/public-key" + query, null,
                "application/x-pem-file, text/plain, application/problem+json");
        return response.body();
    }

    private <T> T send(String method, String pathAndQuery, Map<String, Object> body, Class<T> answer)
            throws KeyServiceException {
        HttpResponse<String> response = exchange(method, pathAndQuery, body, "application/json, application/problem+json");
        try {
            return JSON.readValue(response.body(), answer);
        } catch (JsonProcessingException e) {
            // never the parser's message: it may quote the body, and a body may hold a private key
            throw new KeyServiceException("key-service's answer to " + method + " " + pathOnly(pathAndQuery)
                    + " (HTTP " + response.statusCode() + ") could not be read", response.statusCode(), null);
        }
    }

    /** Sends one request; a 2xx answer is returned, anything else becomes a {@link KeyServiceException}. */
    private HttpResponse<String> exchange(String method, String pathAndQuery, Map<String, Object> body, String accept)
            throws KeyServiceException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + pathAndQuery))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", accept);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(
                    writeJson(body), StandardCharsets.UTF_8));
        }
        identifyCaller(request);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException | HttpConnectTimeoutException | UnresolvedAddressException e) {
            throw unreachable(e);
        } catch (HttpTimeoutException e) {
            throw new KeyServiceException("key-service at " + baseUrl + " did not answer " + method + " "
                    + pathOnly(pathAndQuery) + " within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException || e.getCause() instanceof UnresolvedAddressException) {
                throw unreachable(e);
            }
            throw new KeyServiceException("the connection to key-service at " + baseUrl + " failed during " + method
                    + " " + pathOnly(pathAndQuery) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeyServiceException("interrupted while waiting for key-service at " + baseUrl, e);
        }
        if (response.statusCode() / 100 == 2) {
            return response;
        }
        throw refusal(method, pathAndQuery, response);
    }

    /** Who calls (the API key) and for whom (the {@value #TENANT_HEADER} header, honoured for administrators). */
    private void identifyCaller(HttpRequest.Builder request) {
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        if (tenant != null) {
            request.header(TENANT_HEADER, tenant);
        }
    }

    private KeyServiceException unreachable(Exception cause) {
        return new KeyServiceException("key-service is not reachable at " + baseUrl + "; start it with ./keyfleet up",
                cause);
    }

    private static KeyServiceException refusal(String method, String pathAndQuery, HttpResponse<String> response) {
        int status = response.statusCode();
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (contentType.contains("json")) {
            try {
                Problem problem = JSON.readValue(response.body(), Problem.class);
                String text = firstNonBlank(problem.detail(), problem.title());
                if (text != null) {
                    String code = problem.code() == null || problem.code().isBlank() ? null : problem.code();
                    return new KeyServiceException(oneLine(text) + (code == null ? "" : " (" + code + ")"), status,
                            code);
                }
            } catch (JsonProcessingException e) {
                // not a problem document: said below
            }
        }
        return new KeyServiceException("key-service answered HTTP " + status + " to " + method + " "
                + pathOnly(pathAndQuery) + (contentType.isEmpty() ? "" : " (" + contentType + ")"), status, null);
    }

    private String base() {
        String text = baseUrl.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    private static String writeJson(Map<String, Object> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a request body", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String pathOnly(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }

    private static String firstNonBlank(String first, String second) {
        if (first != null && !first.isBlank()) {
            return first;
        }
        return second == null || second.isBlank() ? null : second;
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
