package io.keyfleet.kit.outbound;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The only way to call a tenant-supplied address: every URL passes {@link OutboundPolicy} first (nothing is
 * connected when it refuses), the connection goes to the address the policy checked (Vert.x connects to
 * {@link RequestOptions#setServer} while the Host header, SNI and the certificate check use the name), redirects are
 * not followed, compressed answers are not inflated, and each call is bounded: the deadline covers connect, TLS, the
 * headers and the last byte, and at most {@code maxBodyBytes} of the body are read before the connection is closed.
 * Blocking; never call it on an event-loop thread.
 */
@ApplicationScoped
public class OutboundClient {

    /** An answer read completely within the limits; header names are case-insensitive (first value of each). */
    public record Response(int status, Map<String, String> headers, byte[] body) {

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }
    }

    private final OutboundPolicy policy;
    private final Duration connectTimeout;
    private final HttpClient http;

    @Inject
    OutboundClient(Vertx vertx, OutboundPolicy policy, OutboundConfig config) {
        this(vertx, policy, config.connectTimeout());
    }

    OutboundClient(Vertx vertx, OutboundPolicy policy, Duration connectTimeout) {
        this.policy = policy;
        this.connectTimeout = connectTimeout;
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) connectTimeout.toMillis())
                .setVerifyHost(true)
                .setTrustAll(false)
                .setDecompressionSupported(false)
                .setKeepAliveTimeout(30));
    }

    public OutboundPolicy policy() {
        return policy;
    }

    /**
     * GET {@code uri} with the given headers.
     *
     * @param field    the request field the URL came from, named in a refusal
     * @param deadline from the start of the connect to the body's last byte
     * @throws OutboundRefusedException when the policy refuses the URL (nothing was connected)
     * @throws OutboundException        when no complete answer came within the limits
     */
    public Response get(URI uri, String field, Map<String, String> headers, Duration deadline, long maxBodyBytes) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("OutboundClient blocks; call it from a worker thread");
        }
        OutboundPolicy.Target target;
        try {
            target = policy.check(uri, field);
        } catch (UnknownHostException e) {
            throw new OutboundException(OutboundException.Kind.UNRESOLVED, "cannot resolve " + e.getMessage());
        }
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(target.address(), target.port())))
                .setHost(target.host())
                .setPort(target.port())
                .setSsl(target.https())
                .setURI(target.pathAndQuery())
                .setFollowRedirects(false)
                .setConnectTimeout(Math.min(connectTimeout.toMillis(), deadline.toMillis()))
                .setIdleTimeout(deadline.toMillis());
        headers.forEach(options::addHeader);

        CompletableFuture<Response> result = new CompletableFuture<>();
        AtomicReference<HttpClientRequest> inFlight = new AtomicReference<>();
        http.request(options).onFailure(result::completeExceptionally).onSuccess(request -> {
            inFlight.set(request);
            if (result.isDone()) {
                request.reset(); // the caller gave up while the connection was being made
                return;
            }
            request.send().onFailure(result::completeExceptionally).onSuccess(response -> read(request, response, maxBodyBytes, result));
        });
        try {
            return result.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw abandon(result, inFlight, new OutboundException(OutboundException.Kind.TIMEOUT, "no complete answer from "
                    + target.host() + " within " + deadline.toMillis() + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw abandon(result, inFlight, new OutboundException(OutboundException.Kind.UNREACHABLE, "interrupted"));
        } catch (ExecutionException e) {
            throw abandon(result, inFlight, failure(e.getCause(), target));
        }
    }

    /** Reads the body up to the limit; beyond it the call fails and the connection is closed. */
    private static void read(HttpClientRequest request, HttpClientResponse response, long maxBodyBytes, CompletableFuture<Response> result) {
        response.exceptionHandler(result::completeExceptionally); // a reset below ends up here, after the result is set
        String length = response.getHeader("Content-Length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > maxBodyBytes) {
            result.completeExceptionally(tooLarge(maxBodyBytes));
            request.reset();
            return;
        }
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (result.isDone()) {
                request.reset();
            } else if (body.length() + (long) chunk.length() > maxBodyBytes) {
                result.completeExceptionally(tooLarge(maxBodyBytes));
                request.reset();
            } else {
                body.appendBuffer(chunk);
            }
        });
        response.endHandler(end -> {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            response.headers().forEach(header -> headers.putIfAbsent(header.getKey(), header.getValue()));
            result.complete(new Response(response.statusCode(), headers, body.getBytes()));
        });
    }

    private static OutboundException tooLarge(long maxBodyBytes) {
        return new OutboundException(OutboundException.Kind.TOO_LARGE, "the answer is larger than " + maxBodyBytes + " bytes");
    }

    /** Ends the call: later chunks are refused and the connection is closed. */
    private static OutboundException abandon(CompletableFuture<Response> result, AtomicReference<HttpClientRequest> inFlight,
                                             OutboundException failure) {
        result.completeExceptionally(failure);
        HttpClientRequest request = inFlight.get();
        if (request != null) {
            request.reset();
        }
        return failure;
    }

    private static OutboundException failure(Throwable cause, OutboundPolicy.Target target) {
        if (cause instanceof OutboundException outbound) {
            return outbound;
        }
        String name = cause.getClass().getSimpleName();
        if (cause instanceof SocketTimeoutException || name.endsWith("TimeoutException")) {
            return new OutboundException(OutboundException.Kind.TIMEOUT, "timed out connecting to or reading from " + target.host()
                    + ":" + target.port() + " (" + name + ")");
        }
        return new OutboundException(OutboundException.Kind.UNREACHABLE, "calling " + target.host() + ":" + target.port()
                + " failed (" + name + ")");
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
