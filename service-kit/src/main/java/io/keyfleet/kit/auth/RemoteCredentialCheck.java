package io.keyfleet.kit.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keyfleet.auth.SignedRequestHeaders;
import io.keyfleet.kit.problem.ProblemException;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jboss.logging.Logger;

/**
 * Verification by key-service over HTTP ({@code POST /v1/credentials/verify}), authenticated with this service's own
 * API key. When key-service cannot answer, the request is refused with 503 (fail closed); valid bearer keys verified
 * recently still pass from {@link VerificationCache}. Within a cache lifetime after a credential event the request
 * carries {@code Cache-Control: no-cache}: key-service's own cache may not have heard the event yet, and an answer
 * from it would put the old state back into this service's cache.
 */
@DefaultBean
@ApplicationScoped
public class RemoteCredentialCheck implements CredentialCheck {

    private static final Logger LOG = Logger.getLogger(RemoteCredentialCheck.class);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Inject
    AuthConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    VerificationCache cache;

    @Override
    public Verification verify(PresentedCredential presented) {
        String serviceKey = config.serviceApiKey().orElseThrow(() -> unavailable(
                "this service has no API key of its own (keyfleet.auth.service-api-key / KEYFLEET_SERVICE_API_KEY)"));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(config.keyServiceUrl() + "/v1/credentials/verify"))
                .timeout(config.keyServiceTimeout())
                .header("Content-Type", "application/json")
                .header(SignedRequestHeaders.AUTHORIZATION, "Bearer " + serviceKey)
                .POST(HttpRequest.BodyPublishers.ofString(body(presented)));
        if (cache.evictedRecently()) {
            builder.header("Cache-Control", "no-cache");
        }
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unavailable("key-service at " + config.keyServiceUrl() + " cannot be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted");
        }
        if (response.statusCode() != 200) {
            throw unavailable("key-service answered HTTP " + response.statusCode()
                    + (response.statusCode() == 401 || response.statusCode() == 403 ? " to this service's own API key" : ""));
        }
        try {
            return json.readValue(response.body(), Verification.class);
        } catch (IOException e) {
            throw unavailable("key-service's answer could not be read");
        }
    }

    private String body(PresentedCredential presented) {
        ObjectNode body = json.createObjectNode();
        body.put("apiKey", presented.apiKey());
        PresentedCredential.Signed signed = presented.signed();
        if (signed != null) {
            body.put("secretId", signed.secretId());
            body.put("timestamp", signed.timestamp());
            body.put("nonce", signed.nonce());
            body.put("signature", signed.signature());
            body.put("signatureVersion", signed.version());
            body.put("method", signed.method());
            body.put("path", signed.path());
            body.put("query", signed.query());
            body.put("tenant", signed.tenant());
            body.put("bodySha256", signed.bodySha256());
        }
        body.put("sourceIp", presented.sourceIp());
        body.put("requiredScope", presented.requiredScope());
        return body.toString();
    }

    private static ProblemException unavailable(String why) {
        LOG.errorf("Cannot verify a caller's credential: %s", why);
        return new ProblemException(503, "VERIFICATION_UNAVAILABLE", "Service unavailable",
                "Your credential cannot be checked right now; retry in a few seconds. If this lasts, tell the Keyfleet operators.");
    }
}
