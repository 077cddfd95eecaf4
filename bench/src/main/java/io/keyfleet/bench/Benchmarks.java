package io.keyfleet.bench;

import io.keyfleet.bench.applykey.ApplyKeyBenchmark;
import io.keyfleet.bench.keygen.KeygenBenchmark;
import io.keyfleet.bench.outbox.OutboxBenchmark;
import io.keyfleet.bench.sign.SignBenchmark;
import io.keyfleet.bench.support.Benchmark;
import io.keyfleet.launcher.KeyfleetService;
import io.keyfleet.bench.sync.SyncBenchmark;
import io.keyfleet.bench.tokens.TokensBenchmark;
import io.keyfleet.bench.verify.VerifyBenchmark;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every benchmark {@code bench/run} knows. To add one: write a CDI bean implementing {@link Benchmark} in its own
 * package ({@code io.keyfleet.bench.<name>}) and add a line here; {@code bench/run} lists and runs it by name.
 */
public final class Benchmarks {

    /**
     * @param databases extra databases {@code BenchMain} creates on the run's PostgreSQL server before Quarkus boots
     *                  (for services the benchmark starts as processes); their URLs are in
     *                  {@code bench.database.<name>.jdbc-url}
     * @param settings  system properties {@code BenchMain} sets before Quarkus boots, unless given with -D
     */
    public record Entry(String name, String summary, Class<? extends Benchmark> bean, List<String> databases,
                        Map<String, String> settings) {

        public Entry(String name, String summary, Class<? extends Benchmark> bean) {
            this(name, summary, bean, List.of(), Map.of());
        }
    }

    public static final List<Entry> ALL = List.of(
            new Entry("outbox", "commit → outbox relay → Kafka → exactly-once consumer: latency at a steady 1,000 events/s"
                    + " and max commit throughput, against raw Kafka and plain commits (~2 min)", OutboxBenchmark.class),
            new Entry("keygen", "RSA key generation: JDK provider vs ACCP in-process, and POST /v1/keys of a real key-service"
                    + " with and without its key pool, against GET /v1/keys/{id} (~2.5 min)", KeygenBenchmark.class,
                    List.of(KeyfleetService.KEY_SERVICE.databaseName()),
                    // key-service's own KeyCreated events go to keyfleet.keys.v1; the outbox benchmark's consumer,
                    // part of this app, must not pick them up
                    Map.of("mp.messaging.incoming.bench-keys.topic", BenchMain.IDLE_TOPIC)),
            new Entry("sign", "RSA-2048 over HTTP: POST /v1/sign and /v1/verify (single and batch) of two real signing-service"
                    + " processes, ACCP and JDK provider, against openssl speed -multi <cores> rsa2048 (~3 min)", SignBenchmark.class,
                    List.of(KeyfleetService.SIGNING_SERVICE.databaseName()), Map.of()),
            new Entry("verify", "POST /v1/credentials/verify of a real key-service with 10,000 credentials stored, against its"
                    + " empty endpoint (GET /v1/credentials/whoami) in the same run; cache on and off; signed requests (~6 min)",
                    VerifyBenchmark.class, List.of(KeyfleetService.KEY_SERVICE.databaseName()),
                    Map.of("mp.messaging.incoming.bench-keys.topic", BenchMain.IDLE_TOPIC)),
            new Entry("applykey", "applyPublicKey open loop at 200 requests/s with key-service's key pool, and below the"
                    + " refill rate, against the empty endpoint at the same rate (~2.5 min)", ApplyKeyBenchmark.class,
                    List.of(KeyfleetService.KEY_SERVICE.databaseName()), Map.of("mp.messaging.incoming.bench-keys.topic", BenchMain.IDLE_TOPIC)),
            new Entry("sync", "a 100,000-item catalog synced end to end (provider-sandbox → sync-service → PostgreSQL), re-synced"
                    + " unchanged and after a small change, against fetching the pages alone and COPY'ing the rows alone (~3 min)",
                    SyncBenchmark.class, List.of(KeyfleetService.KEY_SERVICE.databaseName(), KeyfleetService.SYNC_SERVICE.databaseName(),
                            KeyfleetService.PROVIDER_SANDBOX.databaseName()),
                    Map.of("mp.messaging.incoming.bench-keys.topic", BenchMain.IDLE_TOPIC)),
            new Entry("tokens", "100,000 grants exchanged through real token-, signing-, key-service and the sandbox, their tokens"
                    + " expiring within 60 s: refreshes/s the scheduler sustains (vs openssl sign), grants seen expired (goal 0),"
                    + " GET …/token vs health (30+ min, longer on a busy machine; -Dbench.tokens.grants=2000 for a quick look)",
                    TokensBenchmark.class,
                    List.of(KeyfleetService.KEY_SERVICE.databaseName(), KeyfleetService.SIGNING_SERVICE.databaseName(),
                            KeyfleetService.TOKEN_SERVICE.databaseName(), KeyfleetService.PROVIDER_SANDBOX.databaseName()),
                    Map.of("mp.messaging.incoming.bench-keys.topic", BenchMain.IDLE_TOPIC)));

    private Benchmarks() {
    }

    public static Optional<Entry> find(String name) {
        return ALL.stream().filter(entry -> entry.name().equals(name)).findFirst();
    }

    static String listing() {
        StringBuilder out = new StringBuilder("Benchmarks (run one with: bench/run NAME):\n");
        ALL.forEach(entry -> out.append(String.format("  %-10s %s%n", entry.name(), entry.summary())));
        return out.toString();
    }
}
