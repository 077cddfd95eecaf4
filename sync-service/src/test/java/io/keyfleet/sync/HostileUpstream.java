package io.keyfleet.sync;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A resource-pool API that answers the account call properly (so a pool can be registered) and every page call with
 * one kind of hostility, chosen by the first segment of the pool's base URL: {@code /huge} streams a page of
 * ever more items up to 1 GiB (generated while sending, never held), {@code /trickle} sends the start of a page and
 * then one byte every 50 ms for ever, {@code /pages} claims 2,147,483,647 pages, {@code /items} puts 5,000 items on a
 * page. It counts what it sends, so a test can see where the reading stopped. Raw sockets, HTTP/1.1, no
 * signature check.
 */
final class HostileUpstream implements AutoCloseable {

    static final long GIBIBYTE = 1L << 30;

    final AtomicLong hugeBytesSent = new AtomicLong();
    final AtomicInteger hugeAnswers = new AtomicInteger();
    final AtomicInteger trickleAnswers = new AtomicInteger();
    final AtomicInteger pageCalls = new AtomicInteger();
    /** Answers still being sent (a stream the client has not closed yet). */
    final AtomicInteger open = new AtomicInteger();

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "hostile-upstream");
        thread.setDaemon(true);
        return thread;
    });

    HostileUpstream() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        threads.submit(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    threads.submit(() -> serve(socket));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    /** The base URL of a pool meeting that kind of hostility: huge, trickle, pages or items. */
    String url(String kind) {
        return "http://127.0.0.1:" + port() + "/" + kind;
    }

    private void serve(Socket socket) {
        open.incrementAndGet();
        try (socket) {
            String head = readHead(socket.getInputStream());
            String target = head.isEmpty() ? "/" : head.split(" ")[1];
            OutputStream out = socket.getOutputStream();
            if (target.contains("/pool-api/v1/account")) {
                respond(out, "{\"memberId\":\"hostile\",\"currency\":\"USD\",\"balance\":1,\"creditLimit\":0}");
                return;
            }
            pageCalls.incrementAndGet();
            if (target.startsWith("/huge/")) {
                hugeAnswers.incrementAndGet();
                huge(out);
            } else if (target.startsWith("/trickle/")) {
                trickleAnswers.incrementAndGet();
                trickle(out);
            } else if (target.startsWith("/pages/")) {
                respond(out, "{\"page\":1,\"pageSize\":500,\"totalPages\":2147483647,\"items\":[" + item(1) + "]}");
            } else if (target.startsWith("/items/")) {
                StringBuilder items = new StringBuilder();
                for (int i = 0; i < 5_000; i++) {
                    items.append(i == 0 ? "" : ",").append(item(i));
                }
                respond(out, "{\"page\":1,\"pageSize\":500,\"totalPages\":1,\"items\":[" + items + "]}");
            } else {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            // the client closed the connection: the point of these answers
        } finally {
            open.decrementAndGet();
        }
    }

    /** A chunked page whose item list goes on until 1 GiB was sent or the client hangs up. */
    private void huge(OutputStream out) throws IOException {
        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        chunk(out, "{\"page\":1,\"pageSize\":500,\"totalPages\":1,\"items\":[" + item(0));
        StringBuilder block = new StringBuilder();
        for (int i = 1; block.length() < 60_000; i++) {
            block.append(',').append(item(i));
        }
        byte[] chunk = chunkBytes(block.toString());
        for (long sent = 0; sent < GIBIBYTE; sent += chunk.length) {
            out.write(chunk);
            hugeBytesSent.addAndGet(chunk.length);
        }
        chunk(out, "]}");
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** The start of a page (chunked: no length to refuse it by), then a blank every 50 ms, for ever. */
    private static void trickle(OutputStream out) throws IOException {
        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        chunk(out, "{\"page\":1,\"totalPages\":1,\"items\":[");
        out.flush();
        byte[] blank = chunkBytes(" ");
        while (true) {
            out.write(blank);
            out.flush();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String item(int i) {
        return "{\"id\":\"zo-" + String.format("%07d", i) + "\",\"name\":\"Zone " + i + "\",\"price\":1.5,\"currency\":\"USD\"}";
    }

    private static void respond(OutputStream out, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        out.write(chunkBytes(text));
    }

    private static byte[] chunkBytes(String text) {
        byte[] data = text.getBytes(StandardCharsets.US_ASCII);
        byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[size.length + data.length + 2];
        System.arraycopy(size, 0, chunk, 0, size.length);
        System.arraycopy(data, 0, chunk, size.length, data.length);
        chunk[chunk.length - 2] = '\r';
        chunk[chunk.length - 1] = '\n';
        return chunk;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (head.size() < 16_384 && matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
