package io.keyfleet.bench.applykey;

import io.keyfleet.auth.ApiKeyFormat;
import io.keyfleet.bench.support.Benchmark;
import io.keyfleet.bench.support.CpuMonitor;
import io.keyfleet.bench.support.KeyServiceClient;
import io.keyfleet.bench.support.BenchServices;
import io.keyfleet.launcher.KeyfleetService;
import io.keyfleet.launcher.ServiceEnvironment;
import io.keyfleet.launcher.ServiceProcess;
import io.keyfleet.bench.support.Latencies;
import io.keyfleet.bench.support.Load;
import io.keyfleet.bench.support.LocalStack;
import io.keyfleet.bench.support.Report;
import io.keyfleet.bench.support.RunEnvironment;
import io.keyfleet.bench.support.ServiceScenario;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code POST /ams/api/v1/customer/applyPublicKey} of a real key-service process (prod profile, its default RSA key pool)
 * open loop at a fixed rate (the 200 requests/s), against {@code GET /v1/credentials/whoami} of the same service
 * at the same rate (the empty endpoint: authenticated, does nothing else), plus a rate below the pool's refill rate.
 * Each applyPublicKey takes an RSA-2048 pair from the pool, or generates one inline when the pool is empty.
 */
@ApplicationScoped
public class ApplyKeyBenchmark implements Benchmark {

    private static final String ADMIN_API_KEY = ApiKeyFormat.generate(false);

    @Inject
    ApplyKeyBenchConfig config;

    @Inject
    DataSource dataSource;

    @Inject
    BenchServices services;

    @ConfigProperty(name = "bench.postgres.port", defaultValue = "0")
    int postgresPort;

    @Override
    public Report run() throws Exception {
        Report report = new Report("applykey", String.format(Locale.ROOT, "applyPublicKey at %s requests/s with key-service's RSA"
                + " key pool, against the empty endpoint at the same rate", trim(config.rate())));
        CpuMonitor cpu = CpuMonitor.start(postgresPort);
        RunEnvironment.describe(report, dataSource);
        Path jar = services.jar(KeyfleetService.KEY_SERVICE, config.keyServiceJar());
        report.environment("key-service", jar + " (prod profile), JVM " + config.keyServiceJvmOptions() + ", KEYFLEET_KEYS_POOL_SIZE="
                + config.poolSize() + "; this run's PostgreSQL (database " + KeyfleetService.KEY_SERVICE.databaseName() + ") and Kafka; loopback"
                + " HTTP/1.1, JDK HttpClient with keep-alive");
        Path workDirectory = BenchServices.temporaryDirectory("applykey");
        boolean keepLogs = true;
        try {
            ServiceEnvironment environment = services.keyService(workDirectory, ADMIN_API_KEY)
                    .set("KEYFLEET_KEYS_POOL_SIZE", String.valueOf(config.poolSize()));
            HttpClient http = KeyServiceClient.newHttpClient();
            try (ServiceProcess service = services.launch(jar, environment, ServiceProcess.splitOptions(config.keyServiceJvmOptions()),
                    workDirectory, "key-service.log")) {
                long launched = System.nanoTime();
                service.awaitReady(config.startTimeout());
                LocalStack.log("key-service (pid %d) ready on %s after %.1f s", service.pid(), service.baseUrl(),
                        (System.nanoTime() - launched) / 1e9);
                report.environment("key-service RSA", BenchServices.keyServiceRsa(service).orElse("unknown (no start-up line in its log)"));
                // the administrator holds onetime:apply; acting for the system tenant
                KeyServiceClient client = new KeyServiceClient(http, service.baseUrl(), null, ADMIN_API_KEY, config.requestTimeout());
                Load.Op empty = i -> client.whoAmI();
                Load.Op apply = i -> {
                    String status = client.applyPublicKey();
                    if (!"S".equals(status)) {
                        throw new IllegalStateException("applyPublicKey answered resultStatus " + status);
                    }
                };

                LocalStack.log("warm-up: whoami flat out for %d s, then %d applyPublicKey one after the other",
                        config.warmUp().toSeconds(), config.warmUpApplies());
                ServiceScenario.requireNoFailure("warm-up", Load.flatOut("applykey-warm-up", config.threads(), config.warmUp(), empty));
                for (int i = 0; i < config.warmUpApplies(); i++) {
                    apply.call(i);
                }

                LocalStack.log("reference: whoami at %s/s for %d s", trim(config.rate()), config.duration().toSeconds());
                ServiceScenario reference = scenario(service, client, () -> Load.paced("applykey-empty", config.rate(),
                        config.duration(), config.threads(), empty));
                LocalStack.log("applyPublicKey at %s/s for %d s, from a full pool of %d", trim(config.sustainableRate()),
                        config.sustainableDuration().toSeconds(), config.poolSize());
                ServiceScenario sustainable = scenario(service, client, () -> Load.paced("applykey-sustainable",
                        config.sustainableRate(), config.sustainableDuration(), config.threads(), apply));
                LocalStack.log("applyPublicKey at %s/s for %d s, from a full pool of %d (the pacer gives up on a backlog 15 s after"
                        + " the schedule)", trim(config.rate()), config.duration().toSeconds(), config.poolSize());
                ServiceScenario atRate = scenario(service, client, () -> Load.paced("applykey-rate", config.rate(), config.duration(),
                        config.threads(), apply));
                keepLogs = false;
                LocalStack.log("done");
                report.environment("cpu during run", cpu.summary());
                return fill(report, reference, sustainable, atRate, cpu.machineWasShared());
            }
        } finally {
            if (keepLogs) {
                LocalStack.log("key-service log kept in %s", workDirectory);
            } else {
                BenchServices.deleteRecursively(workDirectory);
            }
        }
    }

    private ServiceScenario scenario(ServiceProcess service, KeyServiceClient client, ServiceScenario.LoadRun load) throws Exception {
        ServiceScenario scenario = ServiceScenario.run(service, client, config.poolSize(), config.refillTimeout(), load);
        ServiceScenario.requireNoFailure("scenario", scenario.result());
        return scenario;
    }

    // ---------------------------------------------------------------- report

    private Report fill(Report report, ServiceScenario reference, ServiceScenario sustainable, ServiceScenario atRate,
                        boolean machineWasShared) {
        Report.Section ref = report.section("reference", String.format(Locale.ROOT,
                "Reference: GET /v1/credentials/whoami (the empty endpoint) at %s/s for %d s, %d threads", trim(config.rate()),
                config.duration().toSeconds(), config.threads()));
        pacedRows(ref, "empty", config.rate(), reference);

        Report.Section low = report.section("sustainable", String.format(Locale.ROOT,
                "applyPublicKey at %s/s for %d s (below the pool's refill rate), from a full pool of %d", trim(config.sustainableRate()),
                config.sustainableDuration().toSeconds(), config.poolSize()));
        pacedRows(low, "apply", config.sustainableRate(), sustainable);
        poolRows(low, "apply", sustainable);

        Report.Section main = report.section("rate", String.format(Locale.ROOT,
                "applyPublicKey at %s/s for %d s (the issue's rate), from a full pool of %d", trim(config.rate()),
                config.duration().toSeconds(), config.poolSize()));
        pacedRows(main, "apply", config.rate(), atRate);
        poolRows(main, "apply", atRate);

        Latencies apply = atRate.result().latency();
        Latencies applyFromDue = atRate.result().latencyFromDue();
        Latencies empty = reference.result().latency();
        report.ratio("applyVsEmptyP99", "applyPublicKey p99 / empty endpoint p99, both at " + trim(config.rate()) + "/s", apply.p99Ms(),
                ms(apply.p99Ms()), empty.p99Ms(), ms(empty.p99Ms()), "what taking (or generating) a key pair and storing it adds");
        double achieved = atRate.result().paced().achievedPerSecond();
        report.ratio("applyRateHeld", "applyPublicKey requests/s achieved / asked", achieved, perSecond(achieved), config.rate(),
                perSecond(config.rate()), "below 1: the service cannot keep up with the rate and a backlog builds");
        Latencies lowLatency = sustainable.result().latency();
        report.ratio("sustainableVsEmptyP99", "applyPublicKey p99 at " + trim(config.sustainableRate()) + "/s / empty endpoint p99 at "
                + trim(config.rate()) + "/s", lowLatency.p99Ms(), ms(lowLatency.p99Ms()), empty.p99Ms(), ms(empty.p99Ms()),
                "served from the pool: the cost of the request without key generation");

        boolean held = atRate.result().rateHeld(config.rate());
        report.target("applyP99", "applyPublicKey p99 under 20 ms at " + trim(config.rate()) + " requests/s", held && applyFromDue.p99Ms() < 20,
                String.format(Locale.ROOT, "%s from the scheduled time (%s service time); rate held: %s (%s of %s)",
                        ms(applyFromDue.p99Ms()), ms(apply.p99Ms()), held ? "yes" : "NO", perSecond(achieved), perSecond(config.rate())));

        if (machineWasShared) {
            report.note("Other processes kept a large share of this machine busy during the run (see 'cpu during run'):"
                    + " absolute figures are noisy; rerun on a quiet machine before quoting them.");
        }
        report.note(String.format(Locale.ROOT, "Open loop: requests are due on a fixed schedule spread over %d threads; each thread"
                + " sends its next request when it is due or, if the last one has not come back yet, as soon as it has. 'latency'"
                + " is from sending to the answer (service time); 'latency from scheduled time' adds the wait for a late start,"
                + " which is what callers arriving at that rate would see. Requests still waiting 15 s after the schedule ended are"
                + " not sent (scheduled vs sent).", config.threads()));
        report.note("Each applyPublicKey takes an RSA-2048 pair from the pool, or, when the pool is empty, generates one on the"
                + " request thread (a pool miss). Whatever the pool holds, every pair costs one RSA-2048 generation of CPU"
                + " (~60-100 ms here): the machine's 2 cores make some 20-30 pairs/s in all, so a rate above that cannot be held"
                + " with a pool of any size; the pool only absorbs bursts and keeps the generation off the request path while"
                + " the rate stays below its refill rate.");
        report.note("key-service CPU per request: the service process's CPU time during the scenario (request threads, the pool's"
                + " refill thread, outbox relay, GC, JIT) ÷ requests answered.");
        return report;
    }

    private void pacedRows(Report.Section s, String key, double rate, ServiceScenario scenario) {
        Load.Result result = scenario.result();
        s.count(key + "Scheduled", "requests scheduled", result.paced().scheduled());
        s.count(key + "Sent", "requests sent (and answered)", result.ok());
        s.perSecond(key + "Rate", "rate achieved (asked " + trim(rate) + "/s)", result.paced().achievedPerSecond(), 1);
        s.millis(key + "ScheduleLagP99Ms", "schedule lag p99", result.paced().lag().p99Ms());
        s.latencies(key + "Latency", "latency (service time)", result.latency());
        s.latencies(key + "LatencyFromDue", "latency from scheduled time", result.latencyFromDue());
        s.millis(key + "CpuMsPerRequest", "key-service CPU per request", scenario.cpuMsPerRequest());
    }

    private static void poolRows(Report.Section s, String key, ServiceScenario scenario) {
        long requests = scenario.hits() + scenario.misses();
        s.count(key + "PoolHits", "served from the pool (keyfleet_keys_pool_hits)", scenario.hits());
        s.count(key + "PoolMisses", "pool empty: generated inline (keyfleet_keys_pool_misses)", scenario.misses());
        s.text(key + "PoolMissShare", "share of requests that found the pool empty", requests == 0 ? "n/a"
                : String.format(Locale.ROOT, "%.1f %%", 100.0 * scenario.misses() / requests));
        s.text(key + "PoolDryAfter", "pool first ran dry after", Double.isNaN(scenario.dryAfterSeconds()) ? "never"
                : String.format(Locale.ROOT, "%.2f s", scenario.dryAfterSeconds()));
        if (!Double.isNaN(scenario.dryAfterSeconds())) {
            s.latencies(key + "AfterDryLatency", "latency of requests sent after that", scenario.afterDry());
        }
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, value < 10 ? "%.2f ms" : "%.1f ms", value);
    }

    private static String perSecond(double value) {
        return String.format(Locale.ROOT, "%,.1f/s", value);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
