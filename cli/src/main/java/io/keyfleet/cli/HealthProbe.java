package io.keyfleet.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a service over HTTP whether it is ready. */
final class HealthProbe {

    static final String READINESS_PATH = "/q/health/ready";
    static final String SWAGGER_UI_PATH = "/q/swagger-ui";

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    /** {@link Health#UP} when {@code GET <baseUrl>/q/health/ready} answers 200; {@link Health#DOWN} otherwise. */
    Health readiness(URI baseUrl) {
        return statusCode(baseUrl.resolve(READINESS_PATH)) == 200 ? Health.UP : Health.DOWN;
    }

    /** The HTTP status of a GET (after redirects), or -1 when there is no answer. */
    int statusCode(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
