package io.keyfleet.bench.keygen;

import io.keyfleet.bench.support.Benchmark;
import io.keyfleet.bench.support.CpuMonitor;
import io.keyfleet.bench.support.Joins;
import io.keyfleet.bench.support.KeyServiceClient;
import io.keyfleet.bench.support.BenchServices;
import io.keyfleet.launcher.KeyfleetService;
import io.keyfleet.launcher.ServiceEnvironment;
import io.keyfleet.launcher.ServiceProcess;
import io.keyfleet.bench.support.Load;
import io.keyfleet.bench.support.Latencies;
import io.keyfleet.bench.support.LocalStack;
import io.keyfleet.bench.support.RunEnvironment;
import io.keyfleet.bench.support.ServiceScenario;
import io.keyfleet.bench.support.Report;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.common.utils.AppInfoParser;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Key generation, in-process and over HTTP. In-process: RSA-2048 (and 3072) pairs per second and milliseconds per pair
 * with the JDK provider (the reference) and with Amazon Corretto Crypto Provider, one thread and several. Over HTTP: a
 * real key-service process (prod profile, this run's PostgreSQL and Kafka, loopback) answering {@code POST /v1/keys},
 * once without its key pool and once with it, against {@code GET /v1/keys/{id}} of the same service (the HTTP + database
 * floor, no key generation).
 */
@ApplicationScoped
public class KeygenBenchmark implements Benchmark {

    /** The administrator of this run's key-service, acting for the benchmark tenant. */
    private static final String ADMIN_API_KEY = io.keyfleet.auth.ApiKeyFormat.generate(false);

    private static final String TENANT = "bench";

    @Inject
    KeygenBenchConfig config;

    @Inject
    DataSource dataSource;

    @Inject
    BenchServices services;

    @ConfigProperty(name = "bench.postgres.port", defaultValue = "0")
    int postgresPort;

    private final AtomicLong appIds = new AtomicLong();

    @Override
    public Report run() throws Exception {
        Report report = new Report("keygen", "RSA key generation: JDK vs ACCP in-process; POST /v1/keys with and without the pool");
        CpuMonitor cpu = CpuMonitor.start(postgresPort);
        describeEnvironment(report);

        Local local = local();

        Path jar = services.jar(KeyfleetService.KEY_SERVICE, config.keyServiceJar());
        report.environment("key-service", jar + " (prod profile), JVM " + config.keyServiceJvmOptions()
                + "; this run's PostgreSQL (database " + KeyfleetService.KEY_SERVICE.databaseName() + ") and Kafka; loopback HTTP/1.1, JDK HttpClient with keep-alive");
        Path workDirectory = BenchServices.temporaryDirectory("keygen");
        boolean keepLogs = true;
        try {
            HttpClient http = KeyServiceClient.newHttpClient();
            Side[] sides = startKeyServices(jar, workDirectory, http);
            ServiceRun noPool = sides[0].run();
            ServiceRun pooled = sides[1].run();
            keepLogs = false;
            LocalStack.log("done");
            report.environment("key-service RSA", "no-pool run: " + noPool.provider + "; pooled run: " + pooled.provider
                    + " (from its start-up log)");
            report.environment("cpu during run", cpu.summary());
            return fill(report, local, noPool, pooled, cpu.machineWasShared());
        } finally {
            if (keepLogs) {
                LocalStack.log("key-service logs kept in %s", workDirectory);
            } else {
                BenchServices.deleteRecursively(workDirectory);
            }
        }
    }

    // ---------------------------------------------------------------- 1. in-process

    /** The cases of section 1 (ACCP's null when it does not load here). */
    record Local(LocalKeygen.Case jdk1, LocalKeygen.Case accp1, LocalKeygen.Case jdkN, LocalKeygen.Case accpN,
                 LocalKeygen.Case jdk3072, LocalKeygen.Case accp3072, String accpProblem) {
    }

    private Local local() {
        Provider accp = LocalKeygen.accp();
        int threads = config.localThreads();
        int rounds = config.localRounds();
        LocalStack.log("1. in-process RSA-2048: warm-up %d s (JDK), then %d rounds of every case (1 and %d threads; RSA-3072"
                        + " 1 thread): %d s per RSA-2048 case, %d s per RSA-3072 case in all", config.localWarmUp().toSeconds(),
                rounds, threads, config.localMeasure().toSeconds(), config.local3072Measure().toSeconds());
        LocalKeygen.warmUp(null, 2048, config.localWarmUp());
        if (accp != null) {
            LocalKeygen.warmUp(accp, 2048, Duration.ofSeconds(1)); // native code: only this JVM's calls into it warm up
        }
        Duration slice = config.localMeasure().dividedBy(rounds);
        Duration slice3072 = config.local3072Measure().dividedBy(rounds);
        List<LocalKeygen.Spec> specs = new ArrayList<>();
        specs.add(new LocalKeygen.Spec(null, 2048, 1, slice));
        specs.add(new LocalKeygen.Spec(null, 2048, threads, slice));
        specs.add(new LocalKeygen.Spec(null, 3072, 1, slice3072));
        if (accp != null) {
            specs.add(new LocalKeygen.Spec(accp, 2048, 1, slice));
            specs.add(new LocalKeygen.Spec(accp, 2048, threads, slice));
            specs.add(new LocalKeygen.Spec(accp, 3072, 1, slice3072));
        }
        List<LocalKeygen.Case> cases = LocalKeygen.measureInRounds(specs, rounds);
        return new Local(cases.get(0), accp == null ? null : cases.get(3), cases.get(1), accp == null ? null : cases.get(4),
                cases.get(2), accp == null ? null : cases.get(5), LocalKeygen.accpProblem());
    }

    // ---------------------------------------------------------------- 2. over HTTP

    /**
     * @param bursts         every burst's calls together
     * @param burstMakespans per burst: from the release until the last answer, ms
     * @param refillPerSecond with the pool: pairs per second the refill thread added after the first burst, nothing else
     *                        running (NaN without a pool)
     */
    record ServiceRun(int poolSize, String provider, double readySeconds, ServiceScenario getPaced, ServiceScenario getFlatOut,
                      ServiceScenario bursts, double[] burstMakespans, double refillPerSecond, ServiceScenario steady, ServiceScenario flatOut) {
    }

    /** One key-service process and what was measured on it. */
    private final class Side {
        final int poolSize;
        final String label;
        final String prefix;
        final ServiceProcess service;
        KeyServiceClient client;
        double readySeconds;
        ServiceScenario getPaced;
        ServiceScenario getFlatOut;
        ServiceScenario bursts;
        double[] makespans;
        double refillPerSecond = Double.NaN;
        ServiceScenario steady;
        ServiceScenario flatOut;

        Side(int poolSize, ServiceProcess service) {
            this.poolSize = poolSize;
            this.label = poolSize == 0 ? "no pool" : "pool " + poolSize;
            this.prefix = "p" + poolSize + "-";
            this.service = service;
        }

        boolean pooled() {
            return poolSize > 0;
        }

        String appId(String scenario) {
            return KeygenBenchmark.this.appId(prefix + scenario);
        }

        ServiceRun run() {
            return new ServiceRun(poolSize, BenchServices.keyServiceRsa(service).orElse("unknown (no start-up line in its log)"), readySeconds,
                    getPaced, getFlatOut, bursts, makespans, refillPerSecond, steady, flatOut);
        }
    }

    /**
     * Starts key-service twice at once, without the pool and with it, on the same database, and measures both, scenario by
     * scenario back to back (no pool first), so that both see the machine in the same state. The one not under load
     * idles (its pool is full, its relay has nothing to send).
     */
    private Side[] startKeyServices(Path jar, Path workDirectory, HttpClient http) throws Exception {
        List<String> jvmOptions = ServiceProcess.splitOptions(config.keyServiceJvmOptions());
        LocalStack.log("2. starting key-service twice: without the pool and with a pool of %d", config.poolSize());
        long launched = System.nanoTime();
        try (ServiceProcess noPoolProcess = services.launch(jar, keyService(workDirectory, 0), jvmOptions, workDirectory,
                "key-service-no-pool.log");
             ServiceProcess poolProcess = services.launch(jar, keyService(workDirectory, config.poolSize()), jvmOptions, workDirectory,
                     "key-service-pool.log")) {
            Side noPool = new Side(0, noPoolProcess);
            Side pool = new Side(config.poolSize(), poolProcess);
            for (Side side : List.of(noPool, pool)) {
                side.service.awaitReady(config.startTimeout());
                side.readySeconds = (System.nanoTime() - launched) / 1e9;
                side.client = new KeyServiceClient(http, side.service.baseUrl(), TENANT, ADMIN_API_KEY, config.requestTimeout());
                LocalStack.log("key-service, %s (pid %d), ready on %s %.1f s after launch", side.label, side.service.pid(),
                        side.service.baseUrl(), side.readySeconds);
            }
            noPool.client.createTenant("Bench"); // one database: the tenant is there for both

            List<UUID> keys = Collections.synchronizedList(new ArrayList<>());
            for (Side side : List.of(noPool, pool)) {
                LocalStack.log("%s: warm-up, POST /v1/keys flat out for %d s", side.label, config.warmUp().toSeconds());
                requireNoFailure("warm-up", Load.flatOut("keygen-warm-up", config.clients(), config.warmUp(),
                        i -> keys.add(side.client.generate(side.appId("w")))));
            }

            List<UUID> existing = List.copyOf(keys);
            KeyServiceClient reference = noPool.client;
            LocalStack.log("reference: GET /v1/keys/{id} at %d/s for %d s, then %d clients flat out for %d s (no-pool service)",
                    config.referenceRate(), config.referenceDuration().toSeconds(), config.clients(), config.referenceDuration().toSeconds());
            Load.flatOut("keygen-get-warm-up", config.clients(), Duration.ofSeconds(1),
                    i -> reference.get(existing.get((int) (i % existing.size()))));
            noPool.getPaced = scenario(noPool, () -> Load.paced("keygen-get", config.referenceRate(), config.referenceDuration(),
                    config.steadyThreads(), i -> reference.get(existing.get((int) (i % existing.size())))));
            requireNoFailure("GET paced", noPool.getPaced.result());
            noPool.getFlatOut = scenario(noPool, () -> Load.flatOut("keygen-get-max", config.clients(), config.referenceDuration(),
                    i -> reference.get(existing.get((int) (i % existing.size())))));
            requireNoFailure("GET flat out", noPool.getFlatOut.result());

            int burstSize = config.burstSize().orElse(config.poolSize());
            for (Side side : List.of(noPool, pool)) {
                LocalStack.log("%s: %d bursts of %d POST /v1/keys at once%s", side.label, config.bursts(), burstSize,
                        side.pooled() ? ", each from a full pool" : "");
                bursts(side, burstSize);
            }
            for (Side side : List.of(noPool, pool)) {
                LocalStack.log("%s: steady POST /v1/keys at %s/s for %d s", side.label, trim(config.steadyRate()),
                        config.steadyDuration().toSeconds());
                side.steady = scenario(side, () -> Load.paced("keygen-steady", config.steadyRate(), config.steadyDuration(),
                        config.steadyThreads(), i -> side.client.generate(side.appId("s"))));
                requireNoFailure("steady", side.steady.result());
            }
            for (Side side : List.of(noPool, pool)) {
                LocalStack.log("%s: POST /v1/keys flat out, %d clients for %d s", side.label, config.clients(),
                        config.flatOutDuration().toSeconds());
                side.flatOut = scenario(side, () -> Load.flatOut("keygen-max", config.clients(), config.flatOutDuration(),
                        i -> side.client.generate(side.appId("m"))));
                requireNoFailure("flat out", side.flatOut.result());
            }
            return new Side[] {noPool, pool};
        }
    }

    /** key-service with a pool of {@code poolSize} (0: none); both processes share the secrets in the work directory. */
    private ServiceEnvironment keyService(Path workDirectory, int poolSize) {
        return services.keyService(workDirectory, ADMIN_API_KEY).set("KEYFLEET_KEYS_POOL_SIZE", String.valueOf(poolSize));
    }

    /** Bursts of {@code size} requests at once; with the pool, each from a full pool, and the refill rate after the first. */
    private void bursts(Side side, int size) throws Exception {
        List<Load.Result> bursts = new ArrayList<>();
        side.makespans = new double[config.bursts()];
        KeyServiceClient.Pool before = awaitPoolFull(side.client, side.poolSize);
        long cpuBefore = side.service.cpuNanos();
        for (int b = 0; b < config.bursts(); b++) {
            if (b > 0) {
                if (side.pooled()) {
                    awaitPoolFull(side.client, side.poolSize);
                } else {
                    Thread.sleep(500);
                }
            }
            Load.Result burst = Load.burst("keygen-burst", size, Duration.ofSeconds(60), i -> side.client.generate(side.appId("b")));
            requireNoFailure("burst", burst);
            bursts.add(burst);
            side.makespans[b] = burst.elapsedNs() / 1e6;
            if (b == 0 && side.pooled()) {
                side.refillPerSecond = refillRate(side.client, side.poolSize);
            }
        }
        side.bursts = new ServiceScenario(Load.merge(bursts), (side.service.cpuNanos() - cpuBefore) / 1e6 / (bursts.size() * (double) size),
                before, side.client.pool(), Double.NaN, Latencies.NONE);
    }

    /** Runs a scenario on the side's service: CPU time, pool counters; with the pool, from a full pool, watching it run dry. */
    private ServiceScenario scenario(Side side, ServiceScenario.LoadRun load) throws Exception {
        return ServiceScenario.run(side.service, side.client, side.poolSize, config.refillTimeout(), load);
    }

    /** Waits until the pool holds {@code poolSize} pairs (at most refill-timeout); returns its figures then. */
    private KeyServiceClient.Pool awaitPoolFull(KeyServiceClient client, int poolSize) throws Exception {
        return client.awaitPoolFull(poolSize, config.refillTimeout());
    }

    /** Right after a burst: pairs per second the refill thread adds until the pool is full, nothing else running. */
    private double refillRate(KeyServiceClient client, int poolSize) throws Exception {
        long start = System.nanoTime();
        double readyAtStart = client.pool().ready();
        awaitPoolFull(client, poolSize);
        double seconds = (System.nanoTime() - start) / 1e9;
        return (poolSize - readyAtStart) / seconds;
    }

    String appId(String prefix) {
        return "bench-" + prefix + "-" + appIds.incrementAndGet();
    }

    private static void requireNoFailure(String what, Load.Result result) {
        ServiceScenario.requireNoFailure(what, result);
    }

    // ---------------------------------------------------------------- report

    private Report fill(Report report, Local local, ServiceRun noPool, ServiceRun pooled, boolean machineWasShared) {
        int threads = config.localThreads();
        String jdkName = "JDK (" + LocalKeygen.jdkProviderName() + ")";
        Report.Section s1 = report.section("inProcess", String.format(Locale.ROOT,
                "1. In-process RSA generation, as KeyPairFactory.generateNow (generator per pair + KeyMaterial.of): pairs back to back,"
                        + " %d s per RSA-2048 case, %d s per RSA-3072 case, in %d interleaved rounds after %d s JDK warm-up",
                config.localMeasure().toSeconds(), config.local3072Measure().toSeconds(), config.localRounds(),
                config.localWarmUp().toSeconds()));
        localRows(s1, "jdk2048x1", jdkName + " RSA-2048, 1 thread", local.jdk1());
        localRows(s1, "accp2048x1", "ACCP RSA-2048, 1 thread", local.accp1());
        localRows(s1, "jdk2048x" + threads, jdkName + " RSA-2048, " + threads + " threads", local.jdkN());
        localRows(s1, "accp2048x" + threads, "ACCP RSA-2048, " + threads + " threads", local.accpN());
        localRows(s1, "jdk3072x1", jdkName + " RSA-3072, 1 thread", local.jdk3072());
        localRows(s1, "accp3072x1", "ACCP RSA-3072, 1 thread", local.accp3072());

        Report.Section ref = report.section("reference", String.format(Locale.ROOT,
                "Reference: GET /v1/keys/{id} of the same service (no pool run): reads the key and its versions, no key generation"));
        ServiceScenario getPaced = noPool.getPaced();
        ServiceScenario getMax = noPool.getFlatOut();
        ref.perSecond("pacedRate", String.format(Locale.ROOT, "paced at %d/s for %d s: rate achieved", config.referenceRate(),
                config.referenceDuration().toSeconds()), getPaced.result().perSecond(), 1);
        ref.millis("pacedScheduleLagP99Ms", "paced: schedule lag p99", getPaced.result().paced().lag().p99Ms());
        ref.latencies("pacedLatency", "paced: latency", getPaced.result().latency());
        ref.millis("pacedCpuMsPerRequest", "paced: key-service CPU per request", getPaced.cpuMsPerRequest());
        ref.perSecond("flatOutPerSecond", String.format(Locale.ROOT, "%d clients flat out for %d s: requests/s", config.clients(),
                config.referenceDuration().toSeconds()), getMax.result().perSecond());
        ref.latencies("flatOutLatency", "flat out: latency", getMax.result().latency());
        ref.millis("flatOutCpuMsPerRequest", "flat out: key-service CPU per request", getMax.cpuMsPerRequest());

        serviceSection(report, "noPool", "2a. POST /v1/keys without the pool (KEYFLEET_KEYS_POOL_SIZE=0): every request generates"
                + " its RSA-2048 pair inline", noPool);
        serviceSection(report, "pool", String.format(Locale.ROOT, "2b. POST /v1/keys with the pool (KEYFLEET_KEYS_POOL_SIZE=%d,"
                + " key-service's default): pairs pre-generated by one background thread", pooled.poolSize()), pooled);

        // ratios
        ratePerSecondRatio(report, "accpVsJdk2048x1", "ACCP / JDK pairs/s, RSA-2048, 1 thread", local.accp1(), local.jdk1(),
                "how much faster ACCP generates RSA-2048 than the JDK provider on one core");
        ratePerSecondRatio(report, "accpVsJdk2048x" + threads, "ACCP / JDK pairs/s, RSA-2048, " + threads + " threads",
                local.accpN(), local.jdkN(), "the same with " + threads + " threads generating at once");
        ratePerSecondRatio(report, "accpVsJdk3072x1", "ACCP / JDK pairs/s, RSA-3072, 1 thread", local.accp3072(), local.jdk3072(),
                "the same for RSA-3072 (few pairs: rough)");
        Latencies burstNoPool = noPool.bursts().result().latency();
        Latencies burstPool = pooled.bursts().result().latency();
        latencyRatio(report, "burstP99PoolVsNoPool", "burst p99 with pool / without", burstPool.p99Ms(), burstNoPool.p99Ms(),
                "a burst that fits the pool: what the pool saves");
        Latencies steadyNoPool = noPool.steady().result().latency();
        Latencies steadyPool = pooled.steady().result().latency();
        latencyRatio(report, "steadyP99PoolVsNoPool", "steady p99 with pool / without", steadyPool.p99Ms(), steadyNoPool.p99Ms(),
                "a steady rate below the refill rate: the pool keeps up");
        Latencies maxNoPool = noPool.flatOut().result().latency();
        Latencies maxPool = pooled.flatOut().result().latency();
        latencyRatio(report, "flatOutP99PoolVsNoPool", "flat-out p99 with pool / without", maxPool.p99Ms(), maxNoPool.p99Ms(),
                "load beyond the refill rate: once the pool is dry every request generates inline again");
        report.ratio("flatOutRatePoolVsNoPool", "flat-out keys/s with pool / without", pooled.flatOut().result().perSecond(),
                perSecond(pooled.flatOut().result().perSecond()), noPool.flatOut().result().perSecond(),
                perSecond(noPool.flatOut().result().perSecond()),
                "above 1 by the pool's ready pairs at the start and its refill thread generating while request threads"
                        + " wait on the database; every key still costs the same CPU");
        Latencies getLatency = getPaced.result().latency();
        latencyRatio(report, "steadyP99NoPoolVsGet", "steady POST p99 without pool / GET p99", steadyNoPool.p99Ms(), getLatency.p99Ms(),
                "what key generation adds over the HTTP + database floor");
        latencyRatio(report, "steadyP99PoolVsGet", "steady POST p99 with pool / GET p99", steadyPool.p99Ms(), getLatency.p99Ms(),
                "what a generate costs over the floor when the pool serves it (insert, envelope encryption, outbox, audit)");
        report.ratio("flatOutRateNoPoolVsGet", "flat-out POST keys/s without pool / GET requests/s", noPool.flatOut().result().perSecond(),
                perSecond(noPool.flatOut().result().perSecond()), getMax.result().perSecond(), perSecond(getMax.result().perSecond()),
                "throughput left when every request generates a key");
        if (local.accp1() != null) {
            Latencies accpLocal = local.accp1().result().latency();
            latencyRatio(report, "steadyP50NoPoolVsInProcess", "steady POST p50 without pool / in-process ACCP p50",
                    steadyNoPool.p50Ms(), accpLocal.p50Ms(), "1 would mean a generate request costs only its key generation");
        }

        if (local.accp1() != null) {
            double speedUp = local.accp1().result().perSecond() / local.jdk1().result().perSecond();
            report.target("accpTwiceJdk", "ACCP generates RSA-2048 at least 2x as fast as the JDK provider (1 thread; issue 3's figure)",
                    speedUp >= 2.0, String.format(Locale.ROOT, "%.2fx: %.1f vs %.1f pairs/s, p50 %s vs %s per pair", speedUp,
                            local.accp1().result().perSecond(), local.jdk1().result().perSecond(),
                            ms(local.accp1().result().latency().p50Ms()), ms(local.jdk1().result().latency().p50Ms())));
        } else {
            report.note("Amazon Corretto Crypto Provider did not load here (" + local.accpProblem() + "): no ACCP figures.");
        }

        if (machineWasShared) {
            report.note("Other processes kept a large share of this machine busy during the run (see 'cpu during run'):"
                    + " absolute figures are noisy; rerun on a quiet machine before quoting them.");
        }
        report.note("RSA key generation time varies a lot from pair to pair (it searches for random primes): with a few dozen pairs"
                + " per case, p99 is close to the max. Counts are shown next to every latency.");
        report.note(String.format(Locale.ROOT, "The pool helps only while it has pairs. Bursts of %d (the pool's size) start from a"
                        + " full pool; the steady rate (%s/s) is below the refill rate; flat out with %d clients takes more than the"
                        + " refill rate, so the pool runs dry and requests generate inline again ('after the pool ran dry').",
                config.burstSize().orElse(config.poolSize()), trim(config.steadyRate()), config.clients()));
        report.note("The refill thread runs at Thread.MIN_PRIORITY, which HotSpot ignores on Linux by default: while it refills it"
                + " competes with the request threads for the same cores. Its work during a scenario counts in the pooled"
                + " service's CPU per request; the pairs it had ready at the start and those it refills after the end do not,"
                + " so flat out that figure is low by about pool size × CPU per pair ÷ requests.");
        report.note("key-service CPU per request: the service process's CPU time during the scenario (all its threads:"
                + " requests, pool refill, outbox relay, GC, JIT) ÷ requests answered; at a low rate its background work weighs in.");
        report.note("Both key-service processes run at once on the same database and Kafka, started together; each scenario"
                + " runs on the one without the pool, then on the one with it, while the other idles (its pool full; the two"
                + " outbox relays share the outbox table, so either may publish the other's KeyCreated events).");
        report.note("Latency is measured by the client (this JVM, same cores): from just before sending to the whole response;"
                + " a request that started late counts in the schedule lag, not in its latency. key-service runs in its own JVM"
                + " (prod profile) against this run's PostgreSQL and Kafka; its KeyCreated events go to keyfleet.keys.v1.");
        report.note("The in-process cases repeat KeyPairFactory.generateNow's calls: key-service's classes are not on this app's"
                + " classpath, and the factory's JDK-provider constructor is package-private.");
        return report;
    }

    private static void localRows(Report.Section section, String key, String label, LocalKeygen.Case c) {
        if (c == null) {
            section.text(key + "Missing", label, "n/a (provider not available)");
            return;
        }
        section.perSecond(key + "PerSecond", label + ": pairs/s", c.result().perSecond(), 1);
        section.latencies(key + "Latency", label + ": ms per pair", c.result().latency());
    }

    private void serviceSection(Report report, String key, String title, ServiceRun run) {
        boolean pooled = run.poolSize() > 0;
        Report.Section s = report.section(key, title);
        s.seconds("readySeconds", "key-service ready after launch (both launched together)", run.readySeconds());
        if (pooled) {
            s.perSecond("refillPerSecond", "pool refill rate after a burst (nothing else running)", run.refillPerSecond(), 1);
        }
        int burstSize = config.burstSize().orElse(config.poolSize());
        ServiceScenario bursts = run.bursts();
        s.latencies("burstLatency", String.format(Locale.ROOT, "burst: %d × %d requests at once: latency", config.bursts(), burstSize),
                bursts.result().latency());
        s.millis("burstLastAnswerMs", "burst: last answer after (mean of the bursts)",
                java.util.Arrays.stream(run.burstMakespans()).average().orElse(Double.NaN));
        if (pooled) {
            s.flag("burstAllFromPool", "burst: every request served from the pool", bursts.misses() == 0,
                    String.format(Locale.ROOT, "%d hits, %d misses", bursts.hits(), bursts.misses()));
        }

        ServiceScenario steady = run.steady();
        s.perSecond("steadyRate", String.format(Locale.ROOT, "steady %s/s for %d s: rate achieved", trim(config.steadyRate()),
                config.steadyDuration().toSeconds()), steady.result().perSecond(), 1);
        s.millis("steadyScheduleLagP99Ms", "steady: schedule lag p99", steady.result().paced().lag().p99Ms());
        s.latencies("steadyLatency", "steady: latency", steady.result().latency());
        s.millis("steadyCpuMsPerRequest", "steady: key-service CPU per request", steady.cpuMsPerRequest());
        if (pooled) {
            s.flag("steadyAllFromPool", "steady: every request served from the pool", steady.misses() == 0,
                    String.format(Locale.ROOT, "%d hits, %d misses", steady.hits(), steady.misses()));
        }

        ServiceScenario max = run.flatOut();
        s.perSecond("flatOutPerSecond", String.format(Locale.ROOT, "%d clients flat out for %d s: keys/s", config.clients(),
                config.flatOutDuration().toSeconds()), max.result().perSecond(), 1);
        s.latencies("flatOutLatency", "flat out: latency", max.result().latency());
        s.millis("flatOutCpuMsPerRequest", "flat out: key-service CPU per request", max.cpuMsPerRequest());
        if (pooled) {
            s.count("flatOutPoolHits", "flat out: requests served from the pool", max.hits());
            s.count("flatOutPoolMisses", "flat out: requests that generated inline (pool empty)", max.misses());
            s.seconds("flatOutDryAfterSeconds", "flat out: pool first ran dry after", max.dryAfterSeconds());
            s.latencies("flatOutAfterDryLatency", "flat out: latency after the pool ran dry", max.afterDry());
        }
    }

    private static void ratePerSecondRatio(Report report, String key, String label, LocalKeygen.Case measured,
                                           LocalKeygen.Case reference, String meaning) {
        if (measured == null || reference == null) {
            return;
        }
        double m = measured.result().perSecond();
        double r = reference.result().perSecond();
        report.ratio(key, label, m, String.format(Locale.ROOT, "%.1f/s", m), r, String.format(Locale.ROOT, "%.1f/s", r), meaning);
    }

    private static void latencyRatio(Report report, String key, String label, double measured, double reference, String meaning) {
        report.ratio(key, label, measured, ms(measured), reference, ms(reference), meaning);
    }

    private void describeEnvironment(Report report) throws Exception {
        RunEnvironment.describe(report, dataSource);
        Provider accp = LocalKeygen.accp();
        report.environment("providers", "JDK " + LocalKeygen.jdkProviderName() + "; "
                + (accp != null ? "Amazon Corretto Crypto Provider " + accp.getVersionStr() : "ACCP not available: " + LocalKeygen.accpProblem()));
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
