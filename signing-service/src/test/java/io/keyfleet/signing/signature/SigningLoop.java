package io.keyfleet.signing.signature;

import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** One client signing back to back over HTTP, remembering when each key version was first answered with. */
final class SigningLoop {

    private final Object request;
    private final Map<Integer, Long> firstAnswerNanos = new ConcurrentHashMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile int lastVersion;
    private volatile boolean running;
    private Thread thread;

    SigningLoop(Object request) {
        this.request = request;
    }

    void start() {
        running = true;
        thread = new Thread(() -> {
            while (running) {
                Response response = SignatureApiIT.sign(request);
                long answeredAt = System.nanoTime();
                count.incrementAndGet();
                if (response.statusCode() != 200) {
                    failures.add(response.statusCode() + " " + response.asString());
                    continue;
                }
                int version = response.path("keyVersion");
                firstAnswerNanos.putIfAbsent(version, answeredAt);
                lastVersion = version;
            }
        }, "signing-loop");
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }

    long firstAnswerWith(int version) {
        return firstAnswerNanos.getOrDefault(version, 0L);
    }

    int lastVersion() {
        return lastVersion;
    }

    List<String> failures() {
        return failures;
    }

    int count() {
        return count.get();
    }
}
