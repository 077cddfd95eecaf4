package io.keyfleet.kit.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client that enforces the policy, against raw loopback servers that count what reaches them. */
class OutboundClientTest {

    private static final long CAP = 256 * 1024;
    private static final Duration DEADLINE = Duration.ofSeconds(3);

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** A policy for dev (http allowed) that lets exactly {@code allowed} through, with names from a table, never DNS. */
    private static OutboundClient client(AtomicInteger resolutions, String... allowed) {
        OutboundPolicy.Resolver resolver = host -> {
            resolutions.incrementAndGet();
            if (host.equals("upstream.example.test")) {
                return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
            }
            if (host.matches("[0-9a-f.:]+")) {
                return InetAddress.getAllByName(host);
            }
            throw new UnknownHostException(host);
        };
        return new OutboundClient(vertx, new OutboundPolicy(true, List.of(allowed), List.of(), resolver), Duration.ofSeconds(2));
    }

    private static OutboundClient client(String... allowed) {
        return client(new AtomicInteger(), allowed);
    }

    @Test
    void theConnectionGoesToTheAddressCheckedOnceWhileTheRequestNamesTheHost() throws Exception {
        try (Listener upstream = new Listener((head, out) -> respond(out, "200 OK", "{\"ok\":true}"))) {
            AtomicInteger resolutions = new AtomicInteger();
            OutboundClient client = client(resolutions, "127.0.0.1:" + upstream.port());
            // the system resolver knows no upstream.example.test: only the address the policy checked can have been used
            OutboundClient.Response response = client.get(URI.create("http://upstream.example.test:" + upstream.port()
                    + "/pool-api/v1/account?page=1"), "apiBaseUrl", Map.of("X-Test", "yes"), DEADLINE, CAP);
            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
            assertThat(response.header("content-type")).contains("application/json");
            assertThat(resolutions).hasValue(1);
            String head = upstream.heads.poll();
            assertThat(head).startsWith("GET /pool-api/v1/account?page=1 HTTP/1.1\r\n");
            assertThat(head.toLowerCase()).contains("host: upstream.example.test:" + upstream.port() + "\r\n", "x-test: yes\r\n");
        }
    }

    @Test
    void aRefusedAddressIsNeverConnected() throws Exception {
        try (Listener internal = new Listener((head, out) -> respond(out, "200 OK", "{}"))) {
            OutboundClient client = client("127.0.0.1:" + (internal.port() == 65535 ? 1 : internal.port() + 1));
            for (String url : List.of("http://127.0.0.1:" + internal.port(), "http://upstream.example.test:" + internal.port() + "/x",
                    "http://[::ffff:127.0.0.1]:" + internal.port())) {
                assertThatThrownBy(() -> client.get(URI.create(url), "apiBaseUrl", Map.of(), DEADLINE, CAP)).as(url)
                        .isInstanceOfSatisfying(OutboundRefusedException.class,
                                e -> assertThat(e.code()).isEqualTo("OUTBOUND_ADDRESS_REFUSED"));
            }
            assertThat(internal.accepted).hasValue(0);
        }
    }

    @Test
    void aRedirectIsReturnedNotFollowed() throws Exception {
        try (Listener internal = new Listener((head, out) -> respond(out, "200 OK", "{\"secret\":\"internal\"}"));
             Listener upstream = new Listener((head, out) -> out.write(("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:"
                     + internal.port() + "/\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII)))) {
            // even an internal endpoint the operator allowed is not reached by a redirect
            OutboundClient client = client("127.0.0.1:" + upstream.port(), "127.0.0.1:" + internal.port());
            OutboundClient.Response response = client.get(URI.create("http://127.0.0.1:" + upstream.port() + "/"), "f", Map.of(),
                    DEADLINE, CAP);
            assertThat(response.status()).isEqualTo(302);
            assertThat(response.body()).isEmpty();
            assertThat(internal.accepted).hasValue(0);
        }
    }

    @Test
    void anEndlessBodyIsCutAtTheCapAndTheConnectionClosed() throws Exception {
        byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try (Listener upstream = new Listener((head, out) -> {
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (long sent = 0; sent < (1L << 30); sent += chunk.length) {
                out.write(chunk);
            }
        })) {
            OutboundClient client = client("127.0.0.1:" + upstream.port());
            assertThatThrownBy(() -> client.get(URI.create("http://127.0.0.1:" + upstream.port()), "f", Map.of(), DEADLINE, CAP))
                    .isInstanceOfSatisfying(OutboundException.class, e -> {
                        assertThat(e.kind()).isEqualTo(OutboundException.Kind.TOO_LARGE);
                        assertThat(e.getMessage()).contains(Long.toString(CAP));
                    });
            // the sender stops because the connection was closed, long before its gibibyte
            upstream.handlerEnded.get(10, TimeUnit.SECONDS);
            assertThat(upstream.written.get()).isLessThan(CAP + 32L * 1024 * 1024);
        }
    }

    @Test
    void aDeclaredLengthBeyondTheCapIsRefusedBeforeTheBodyIsRead() throws Exception {
        try (Listener upstream = new Listener((head, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] block = new byte[0x10000];
            for (long sent = 0; sent < (1L << 30); sent += block.length) {
                out.write(block);
            }
        })) {
            OutboundClient client = client("127.0.0.1:" + upstream.port());
            assertThatThrownBy(() -> client.get(URI.create("http://127.0.0.1:" + upstream.port()), "f", Map.of(), DEADLINE, CAP))
                    .isInstanceOfSatisfying(OutboundException.class, e -> assertThat(e.kind()).isEqualTo(OutboundException.Kind.TOO_LARGE));
            upstream.handlerEnded.get(10, TimeUnit.SECONDS);
            assertThat(upstream.written.get()).isLessThan(32L * 1024 * 1024);
        }
    }

    @Test
    void aBodyThatNeverEndsIsCutAtTheDeadline() throws Exception {
        try (Listener upstream = new Listener((head, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (true) {
                out.write(' ');
                out.flush();
                sleep(100);
            }
        })) {
            OutboundClient client = client("127.0.0.1:" + upstream.port());
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.get(URI.create("http://127.0.0.1:" + upstream.port()), "f", Map.of(), Duration.ofSeconds(1), CAP))
                    .isInstanceOfSatisfying(OutboundException.class, e -> {
                        assertThat(e.kind()).isEqualTo(OutboundException.Kind.TIMEOUT);
                        assertThat(e.getMessage()).contains("within 1000 ms");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            // and the connection is closed, so the trickle stops
            upstream.handlerEnded.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCompressedAnswerIsNotInflated() throws Exception {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(new byte[10 * 1024 * 1024]);
        }
        byte[] bomb = compressed.toByteArray();
        try (Listener upstream = new Listener((head, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + bomb.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bomb);
        })) {
            OutboundClient client = client("127.0.0.1:" + upstream.port());
            OutboundClient.Response response = client.get(URI.create("http://127.0.0.1:" + upstream.port()), "f", Map.of(), DEADLINE, CAP);
            assertThat(response.body()).hasSize(bomb.length);
            assertThat(upstream.heads.poll().toLowerCase()).doesNotContain("accept-encoding");
        }
    }

    @Test
    void aHostThatDoesNotResolveIsReportedAsSuch() {
        assertThatThrownBy(() -> client().get(URI.create("http://nowhere.example.test/"), "f", Map.of(), DEADLINE, CAP))
                .isInstanceOfSatisfying(OutboundException.class, e -> {
                    assertThat(e.kind()).isEqualTo(OutboundException.Kind.UNRESOLVED);
                    assertThat(e.getMessage()).contains("nowhere.example.test");
                });
    }

    private static void respond(OutputStream out, String status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    interface Handler {
        void handle(String head, OutputStream out) throws IOException;
    }

    /**
     * A loopback server that counts the connections it accepts and the bytes it writes; each connection gets the
     * handler once (the request head recorded), then is closed. {@link #handlerEnded} completes when a handler returns
     * or fails (the peer closed the connection).
     */
    static final class Listener implements AutoCloseable {

        final AtomicInteger accepted = new AtomicInteger();
        final AtomicLong written = new AtomicLong();
        final ConcurrentLinkedQueue<String> heads = new ConcurrentLinkedQueue<>();
        final CompletableFuture<Void> handlerEnded = new CompletableFuture<>();
        private final ServerSocket server;
        private final ExecutorService threads = Executors.newCachedThreadPool();

        Listener(Handler handler) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            threads.submit(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        accepted.incrementAndGet();
                        threads.submit(() -> serve(socket, handler));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve(Socket socket, Handler handler) {
            try (socket) {
                heads.add(readHead(socket.getInputStream()));
                OutputStream out = new FilterOutputStream(socket.getOutputStream()) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                        written.addAndGet(len);
                    }
                };
                handler.handle(heads.isEmpty() ? "" : heads.peek(), out);
                out.flush();
            } catch (IOException | RuntimeException e) {
                // the client closed the connection
            } finally {
                handlerEnded.complete(null);
            }
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (head.size() < 16_384) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
                String text = head.toString(StandardCharsets.US_ASCII);
                if (text.endsWith("\r\n\r\n")) {
                    return text;
                }
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            server.close();
            threads.shutdownNow();
        }
    }
}
