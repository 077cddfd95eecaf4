package io.keyfleet.tokens.upstream;

import io.keyfleet.tokens.support.TokensConfig;
import io.keyfleet.tokens.upstream.UpstreamFailure.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The POSTs of the token calls to the provider's gateway (its address from the operator's configuration, never from a
 * tenant), each within {@code upstream-timeout}. A call that gives no answer is an
 * {@link UpstreamFailure}: not connected is RETRYABLE, anything after the request may have left is LOST.
 */
@ApplicationScoped
class UpstreamHttp {

    @Inject
    TokensConfig config;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** POSTs {@code body} with the headers (Content-Type among them); {@code who} names the other side in failures. */
    HttpResponse<String> post(URI uri, Map<String, String> headers, String body, String who) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.upstreamTimeout())
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new UpstreamFailure(Kind.LOST, "TIMEOUT", who + " did not answer within " + config.upstreamTimeout());
        } catch (ConnectException e) {
            throw new UpstreamFailure(Kind.RETRYABLE, "UNREACHABLE", who + " could not be reached");
        } catch (IOException e) {
            throw new UpstreamFailure(Kind.LOST, "IO_ERROR", "the connection to " + who + " failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamFailure(Kind.LOST, "INTERRUPTED", "interrupted while waiting for " + who);
        }
    }
}
