package io.keyfleet.tokens.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.tokens.support.TokensConfig;
import io.keyfleet.tokens.upstream.UpstreamFailure.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * signing-service for the token calls: {@code POST /v1/sign} with the tenant's app key and {@code POST /v1/verify} of
 * the provider's answer with the provider's public key, in the scheme of the app's gateway. token-service calls it with
 * its own service credential, acting for the app's tenant.
 */
@ApplicationScoped
class SigningServiceClient {

    @Inject
    TokensConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    UpstreamHttp http;

    @ConfigProperty(name = "keyfleet.auth.service-api-key", defaultValue = "")
    String serviceApiKey;

    /**
     * Signs a request's parts with the app's key; the attachment at {@code pointer} of the answer, e.g.
     * {@code /params/sign} or {@code /headers/Authorization}.
     */
    String sign(AppRef app, String scheme, ObjectNode parts, String pointer) {
        ObjectNode request = json.createObjectNode();
        request.set("key", key(app));
        request.put("scheme", scheme);
        request.set("request", parts);
        JsonNode attachment = call("/v1/sign", app, request).at(pointer);
        if (!attachment.isTextual()) {
            throw new UpstreamFailure(Kind.CONFIGURATION, "SIGNING_FAILED", "signing-service gave no " + pointer);
        }
        return attachment.asText();
    }

    /**
     * Checks the provider's answer (kind RESPONSE). An answer that fails the check, or that cannot be checked, is LOST:
     * the provider may have acted on the request, but nothing in the answer can be trusted.
     */
    void verifyResponse(AppRef app, String scheme, ObjectNode message) {
        ObjectNode request = json.createObjectNode();
        request.set("key", key(app));
        request.put("scheme", scheme);
        request.put("kind", "RESPONSE");
        request.set("message", message);
        JsonNode result;
        try {
            result = call("/v1/verify", app, request);
        } catch (UpstreamFailure e) {
            throw new UpstreamFailure(Kind.LOST, e.code(), "the provider's answer could not be verified: " + e.getMessage());
        }
        if (!result.path("valid").asBoolean(false)) {
            throw new UpstreamFailure(Kind.LOST, "BAD_RESPONSE_SIGNATURE",
                    "the provider's answer failed its signature check: " + result.path("reason").asText());
        }
    }

    private JsonNode call(String path, AppRef app, ObjectNode request) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(Caller.TENANT_HEADER, app.tenantId());
        if (!serviceApiKey.isBlank()) {
            headers.put("Authorization", "Bearer " + serviceApiKey);
        }
        HttpResponse<String> response = http.post(config.signingServiceUrl().resolve(path), headers, request.toString(), "signing-service");
        if (response.statusCode() / 100 == 2) {
            try {
                return json.readTree(response.body());
            } catch (IOException e) {
                throw new UpstreamFailure(Kind.RETRYABLE, "SIGNING_UNAVAILABLE", "signing-service answered unreadable JSON");
            }
        }
        if (response.statusCode() >= 500 || response.statusCode() == 429) {
            throw new UpstreamFailure(Kind.RETRYABLE, "SIGNING_UNAVAILABLE", "signing-service answered HTTP " + response.statusCode());
        }
        String problem = problemCode(response.body());
        throw new UpstreamFailure(Kind.CONFIGURATION, problem == null ? "SIGNING_REFUSED" : problem,
                "signing-service refused " + path + " with HTTP " + response.statusCode() + (problem == null ? "" : " " + problem));
    }

    private ObjectNode key(AppRef app) {
        return json.createObjectNode().put("provider", app.provider()).put("appId", app.appId())
                .put("environment", app.environment());
    }

    private String problemCode(String body) {
        try {
            JsonNode code = json.readTree(body).path("code");
            return code.isTextual() ? code.asText() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
