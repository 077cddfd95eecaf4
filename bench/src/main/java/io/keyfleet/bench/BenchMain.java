package io.keyfleet.bench;

import io.keyfleet.bench.support.LocalStack;
import io.keyfleet.events.Topics;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point of {@code bench/run}: {@code --list} prints the benchmarks; {@code NAME} starts PostgreSQL and Kafka
 * (local-stack, free loopback ports, temporary directories), points Quarkus at them, runs the benchmark in
 * {@link BenchApp}, then stops the infrastructure once Quarkus has shut down.
 */
@QuarkusMain
public class BenchMain {

    /** The benchmark's database; every run starts from an empty server. */
    static final String DATABASE = "keyfleet_bench";
    /** Topic of the raw-Kafka reference: same partitions as the event topics. */
    public static final String RAW_TOPIC = "bench.raw.v1";
    /** Topic nothing publishes to: where the outbox consumer listens when a benchmark's service publishes key events. */
    public static final String IDLE_TOPIC = "bench.idle.v1";
    static final int PARTITIONS = 3;

    // kept referenced: java.util.logging forgets levels of loggers that are garbage-collected
    private static final Logger LOCAL_STACK_LOG = Logger.getLogger("io.keyfleet.localstack");

    public static void main(String... args) {
        if (args.length == 0 || args[0].equals("--list") || args[0].equals("--help")) {
            System.out.print(Benchmarks.listing());
            return;
        }
        String name = args[0];
        Benchmarks.Entry entry = Benchmarks.find(name).orElse(null);
        if (entry == null) {
            System.err.println("No benchmark named '" + name + "'.");
            System.err.print(Benchmarks.listing());
            System.exit(2);
        }
        LOCAL_STACK_LOG.setLevel(Level.WARNING);
        LocalStack.log("starting PostgreSQL and Kafka on loopback (temporary directories)");
        LocalStack stack = LocalStack.start(DATABASE, List.of(Topics.KEYS, RAW_TOPIC, IDLE_TOPIC), PARTITIONS);
        AtomicInteger exitCode = new AtomicInteger(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            stack.exportToQuarkus(System.getProperty("bench.pg.synchronous-commit"));
            entry.databases().forEach(stack::createDatabase);
            entry.settings().forEach((key, value) -> {
                if (System.getProperty(key) == null) {
                    System.setProperty(key, value);
                }
            });
            Quarkus.run(BenchApp.class, (code, error) -> {
                exitCode.set(code);
                failure.set(error);
            }, args);
        } finally {
            stack.close();
        }
        if (failure.get() != null) {
            System.err.println("[bench] failed: " + failure.get());
            failure.get().printStackTrace();
        }
        System.exit(exitCode.get());
    }
}
