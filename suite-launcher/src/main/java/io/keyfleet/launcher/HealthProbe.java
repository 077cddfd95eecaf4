package io.keyfleet.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a service over HTTP whether it is ready: {@code GET <baseUrl>/q/health/ready} answers 200. */
public final class HealthProbe {

    public static final String READINESS_PATH = "/q/health/ready";

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    /** True when {@code GET <baseUrl>/q/health/ready} answers 200; false for any other answer or none. */
    public boolean isReady(URI baseUrl) {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve(READINESS_PATH)).timeout(REQUEST_TIMEOUT).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
