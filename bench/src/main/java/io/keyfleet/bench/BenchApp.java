package io.keyfleet.bench;

import io.keyfleet.bench.support.Benchmark;
import io.keyfleet.bench.support.LocalStack;
import io.keyfleet.bench.support.Report;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Runs the benchmark named by the first argument, prints its report and writes it as JSON. */
public class BenchApp implements QuarkusApplication {

    @Inject
    @Any
    Instance<Benchmark> benchmarks;

    @ConfigProperty(name = "bench.results-dir", defaultValue = "bench/results")
    Path resultsDir;

    @Override
    public int run(String... args) throws Exception {
        Benchmarks.Entry entry = Benchmarks.find(args[0]).orElseThrow();
        Benchmark benchmark = benchmarks.select(entry.bean()).get();
        LocalStack.log("running %s", entry.name());
        Report report = benchmark.run().finish();
        report.environment("overrides", overrides());
        Path file = report.writeJson(resultsDir); // first: the figures survive a problem in rendering them
        System.out.println();
        System.out.print(report.render());
        System.out.println();
        System.out.println("JSON: " + file.toAbsolutePath().normalize());
        System.out.println();
        return 0;
    }

    /** The -D settings given on the command line (bench/run passes them through), so a what-if run says so. */
    private static String overrides() {
        List<String> given = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("-D"))
                .filter(argument -> !argument.startsWith("-Dbench.results-dir=") && !argument.startsWith("-Dbench.git=")
                        && !argument.startsWith("-Dbench.project-root="))
                .map(argument -> argument.substring(2))
                .toList();
        return given.isEmpty() ? "none (defaults)" : String.join(" ", given);
    }
}
