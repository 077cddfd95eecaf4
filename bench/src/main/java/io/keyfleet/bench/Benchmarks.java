package io.keyfleet.bench;

import io.keyfleet.bench.outbox.OutboxBenchmark;
import io.keyfleet.bench.support.Benchmark;
import java.util.List;
import java.util.Optional;

/**
 * Every benchmark {@code bench/run} knows. To add one: write a CDI bean implementing {@link Benchmark} in its own
 * package ({@code io.keyfleet.bench.<name>}) and add a line here; {@code bench/run} lists and runs it by name.
 */
public final class Benchmarks {

    public record Entry(String name, String summary, Class<? extends Benchmark> bean) {
    }

    public static final List<Entry> ALL = List.of(
            new Entry("outbox", "commit → outbox relay → Kafka → exactly-once consumer: latency at a steady 1,000 events/s"
                    + " and max commit throughput, against raw Kafka and plain commits (~2 min)", OutboxBenchmark.class));

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
