package io.keyfleet.bench.verify;

import io.keyfleet.auth.ApiKeyFormat;
import io.keyfleet.auth.RequestSignature;
import io.keyfleet.bench.support.Benchmark;
import io.keyfleet.bench.support.CpuMonitor;
import io.keyfleet.bench.support.Joins;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Credential verification over HTTP: a real key-service process with 10,000 bearer API keys stored, asked
 * {@code POST /v1/credentials/verify} for keys cycling over all of them, against {@code GET /v1/credentials/whoami} of
 * the same service in the same run (the "empty endpoint": authenticated, does nothing else). Both are called by the
 * same service credential (KEYFLEET_SERVICE_KEYS), so both pay the same authentication of the caller; verify adds the
 * verification of the presented key. Closed loop with a fixed number of keep-alive connections (throughput, and the
 * latency at saturation), then paced well below saturation (latency). Once with key-service as deployed (its
 * verification cache on) and once with the cache off, so that every verification reads the database.
 */
@ApplicationScoped
public class VerifyBenchmark implements Benchmark {

    private static final String ADMIN_API_KEY = ApiKeyFormat.generate(false);
    private static final String SERVICE_API_KEY = ApiKeyFormat.generate(false);
    private static final String TENANT = "bench";
    private static final String SOURCE_IP = "127.0.0.1";
    private static final String SCOPE = "keys:read";
    private static final String EMPTY_BODY_SHA256 = RequestSignature.sha256Hex(new byte[0]);

    @Inject
    VerifyBenchConfig config;

    @Inject
    DataSource dataSource;

    @Inject
    BenchServices services;

    @ConfigProperty(name = "bench.postgres.port", defaultValue = "0")
    int postgresPort;

    /** One key-service process and its client, calling as the service credential. */
    private record Side(String label, boolean cached, ServiceProcess service, KeyServiceClient client) {
    }

    /** What was measured on one side. */
    private record Figures(Side side, ServiceScenario emptyLoop, ServiceScenario verifyLoop, ServiceScenario emptyPaced,
                           ServiceScenario verifyPaced, ServiceScenario signedLoop, ServiceScenario signedPaced) {
    }

    /** The stored credentials: the verify bodies of the API keys, and the SecretId/SecretKey pairs. */
    private record Stored(byte[][] verifyBodies, String[][] pairs, double createSeconds) {
    }

    @Override
    public Report run() throws Exception {
        Report report = new Report("verify", "Credential verification over HTTP keep-alive with " + String.format(Locale.ROOT, "%,d",
                config.credentials()) + " credentials stored, against the empty endpoint of the same service");
        CpuMonitor cpu = CpuMonitor.start(postgresPort);
        RunEnvironment.describe(report, dataSource);
        Path jar = services.jar(KeyfleetService.KEY_SERVICE, config.keyServiceJar());
        report.environment("key-service", jar + " (prod profile), JVM " + config.keyServiceJvmOptions() + "; this run's PostgreSQL"
                + " (database " + KeyfleetService.KEY_SERVICE.databaseName() + ") and Kafka; key pool off; loopback HTTP/1.1, JDK HttpClient with keep-alive");
        Path workDirectory = BenchServices.temporaryDirectory("verify");
        boolean keepLogs = true;
        try {
            HttpClient http = KeyServiceClient.newHttpClient();
            List<String> jvmOptions = ServiceProcess.splitOptions(config.keyServiceJvmOptions());
            LocalStack.log("starting key-service%s", config.uncached() ? " twice: verification cache on (as deployed) and off" : "");
            try (ServiceProcess cachedProcess = services.launch(jar, keyService(workDirectory), jvmOptions, workDirectory,
                    "key-service-cached.log");
                 ServiceProcess uncachedProcess = config.uncached() ? services.launch(jar,
                         keyService(workDirectory).set("KEYFLEET_AUTH_CACHE_TTL", "PT0S"), jvmOptions, workDirectory,
                         "key-service-uncached.log") : null) {
                List<Side> sides = new ArrayList<>();
                sides.add(side("cache on", true, cachedProcess, http));
                if (uncachedProcess != null) {
                    sides.add(side("cache off", false, uncachedProcess, http));
                }
                KeyServiceClient admin = new KeyServiceClient(http, cachedProcess.baseUrl(), TENANT, ADMIN_API_KEY, config.requestTimeout());
                admin.createTenant("Bench");
                Stored stored = store(admin);
                List<Figures> figures = new ArrayList<>();
                for (Side side : sides) {
                    figures.add(measure(side, stored));
                }
                keepLogs = false;
                LocalStack.log("done");
                report.environment("cpu during run", cpu.summary());
                return fill(report, stored, figures, cpu.machineWasShared());
            }
        } finally {
            if (keepLogs) {
                LocalStack.log("key-service logs kept in %s", workDirectory);
            } else {
                BenchServices.deleteRecursively(workDirectory);
            }
        }
    }

    /** key-service with one caller, the benchmark ("bench", SERVICE_API_KEY), and no key pool. */
    private ServiceEnvironment keyService(Path workDirectory) {
        return services.keyService(workDirectory, ADMIN_API_KEY)
                .serviceKeys(Map.of("bench", SERVICE_API_KEY))
                .set("KEYFLEET_KEYS_POOL_SIZE", "0"); // no background key generation competing for the cores
    }

    private Side side(String label, boolean cached, ServiceProcess service, HttpClient http) {
        long start = System.nanoTime();
        service.awaitReady(config.startTimeout());
        LocalStack.log("key-service, %s (pid %d), ready on %s after %.1f s", label, service.pid(), service.baseUrl(),
                (System.nanoTime() - start) / 1e9);
        return new Side(label, cached, service, new KeyServiceClient(http, service.baseUrl(), null, SERVICE_API_KEY, config.requestTimeout()));
    }

    // ---------------------------------------------------------------- setup

    /** Creates the API keys and pairs through POST /v1/credentials, as the administrator acting for the bench tenant. */
    private Stored store(KeyServiceClient admin) throws Exception {
        int count = config.credentials();
        LocalStack.log("storing %,d API keys and %d SecretId/SecretKey pairs through POST /v1/credentials, %d threads", count,
                config.pairs(), config.createThreads());
        byte[][] bodies = new byte[count][];
        String[][] pairs = new String[config.pairs()][];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < config.createThreads(); t++) {
            Thread thread = new Thread(() -> {
                int i;
                while (failure.get() == null && (i = next.getAndIncrement()) < count + pairs.length) {
                    try {
                        if (i < count) {
                            String apiKey = admin.createCredential("API_KEY", List.of(SCOPE)).apiKey();
                            bodies[i] = ("{\"apiKey\":\"" + apiKey + "\",\"sourceIp\":\"" + SOURCE_IP + "\",\"requiredScope\":\"" + SCOPE
                                    + "\"}").getBytes(StandardCharsets.UTF_8);
                        } else {
                            KeyServiceClient.IssuedCredential pair = admin.createCredential("SECRET_PAIR", List.of(SCOPE));
                            pairs[i - count] = new String[] {pair.secretId(), pair.secretKey()};
                        }
                    } catch (Exception | Error e) {
                        failure.compareAndSet(null, e);
                    }
                }
            }, "verify-store-" + t);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        Joins.all(threads, Duration.ofMinutes(10));
        if (failure.get() != null) {
            throw new IllegalStateException("storing the credentials failed: " + failure.get(), failure.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LocalStack.log("stored in %.1f s (%.0f/s)", seconds, (count + pairs.length) / seconds);
        return new Stored(bodies, pairs, seconds);
    }

    // ---------------------------------------------------------------- measuring

    private Figures measure(Side side, Stored stored) throws Exception {
        KeyServiceClient client = side.client();
        byte[][] bodies = stored.verifyBodies();
        Load.Op empty = i -> client.whoAmI();
        Load.Op verify = i -> {
            String code = client.verify(bodies[(int) (i % bodies.length)]);
            if (!"VALID".equals(code)) {
                throw new IllegalStateException("verify answered " + code + " for stored key #" + (i % bodies.length));
            }
        };
        Load.Op signed = i -> {
            String code = client.verify(signedBody(stored.pairs()[(int) (i % stored.pairs().length)]));
            if (!"VALID".equals(code)) {
                throw new IllegalStateException("signed verify answered " + code);
            }
        };

        LocalStack.log("%s: warm-up %d s, whoami and verify alternately, %d clients", side.label(), config.warmUp().toSeconds(),
                config.clients());
        ServiceScenario.requireNoFailure("warm-up", Load.flatOut("verify-warm-up", config.clients(), config.warmUp(),
                i -> (i % 2 == 0 ? empty : verify).call(i / 2)));
        ServiceScenario.requireNoFailure("signed warm-up", Load.flatOut("verify-signed-warm-up", config.clients(),
                Duration.ofSeconds(2), signed));

        Duration half = config.measure().dividedBy(2);
        LocalStack.log("%s: closed loop, %d clients: whoami %d s, verify %d s, whoami %d s", side.label(), config.clients(),
                half.toSeconds(), config.measure().toSeconds(), half.toSeconds());
        ServiceScenario emptyBefore = closedLoop(side, "verify-empty", half, empty);
        ServiceScenario verifyLoop = closedLoop(side, "verify-verify", config.measure(), verify);
        ServiceScenario emptyAfter = closedLoop(side, "verify-empty", half, empty);
        ServiceScenario emptyLoop = merge(List.of(emptyBefore, emptyAfter));

        Duration verifyPacedDuration = side.cached() ? config.pacedCachedVerifyDuration() : config.pacedDuration();
        LocalStack.log("%s: paced at %s/s: whoami for %d s, then verify for %d s", side.label(), trim(config.pacedRate()),
                config.pacedDuration().toSeconds(), verifyPacedDuration.toSeconds());
        ServiceScenario emptyPaced = paced(side, "verify-empty-paced", config.pacedRate(), config.pacedDuration(), empty);
        ServiceScenario verifyPaced = paced(side, "verify-verify-paced", config.pacedRate(), verifyPacedDuration, verify);

        LocalStack.log("%s: signed requests (fresh nonce each): closed loop %d s, then paced at %s/s for %d s", side.label(),
                config.signedMeasure().toSeconds(), trim(config.signedPacedRate()), config.pacedDuration().toSeconds());
        ServiceScenario signedLoop = closedLoop(side, "verify-signed", config.signedMeasure(), signed);
        ServiceScenario signedPaced = paced(side, "verify-signed-paced", config.signedPacedRate(), config.pacedDuration(), signed);
        return new Figures(side, emptyLoop, verifyLoop, emptyPaced, verifyPaced, signedLoop, signedPaced);
    }

    private ServiceScenario closedLoop(Side side, String name, Duration duration, Load.Op op) throws Exception {
        ServiceScenario scenario = ServiceScenario.run(side.service(), side.client(), 0, Duration.ZERO,
                () -> Load.flatOut(name, config.clients(), duration, op));
        ServiceScenario.requireNoFailure(name, scenario.result());
        return scenario;
    }

    private ServiceScenario paced(Side side, String name, double rate, Duration duration, Load.Op op) throws Exception {
        ServiceScenario scenario = ServiceScenario.run(side.service(), side.client(), 0, Duration.ZERO,
                () -> Load.paced(name, rate, duration, config.pacedThreads(), op));
        ServiceScenario.requireNoFailure(name, scenario.result());
        return scenario;
    }

    /** The slices as one scenario: their requests together, their times added up, CPU per request over all of them. */
    private static ServiceScenario merge(List<ServiceScenario> slices) {
        Load.Result result = Load.merge(slices.stream().map(ServiceScenario::result).toList());
        double cpuMs = slices.stream().mapToDouble(s -> s.cpuMsPerRequest() * s.result().ok()).sum();
        return new ServiceScenario(result, cpuMs / Math.max(1, result.ok()), slices.get(0).poolBefore(),
                slices.get(slices.size() - 1).poolAfter(), Double.NaN, Latencies.NONE);
    }

    /** A verify body for a request signed now with the pair, a fresh nonce each time (as an integration signs). */
    private static byte[] signedBody(String[] pair) {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        String nonce = ApiKeyFormat.randomBase62(24);
        String canonical = RequestSignature.canonical(RequestSignature.Version.V2, "POST", "/v1/keys", "", null, timestamp, nonce,
                EMPTY_BODY_SHA256);
        String signature = RequestSignature.sign(pair[1].getBytes(StandardCharsets.UTF_8), canonical);
        return ("{\"secretId\":\"" + pair[0] + "\",\"timestamp\":\"" + timestamp + "\",\"nonce\":\"" + nonce + "\",\"signature\":\""
                + signature + "\",\"signatureVersion\":\"" + RequestSignature.Version.V2.header() + "\",\"method\":\"POST\",\"path\":\"/v1/keys\",\"query\":\"\",\"bodySha256\":\"" + EMPTY_BODY_SHA256
                + "\",\"sourceIp\":\"" + SOURCE_IP + "\",\"requiredScope\":\"" + SCOPE + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- report

    private Report fill(Report report, Stored stored, List<Figures> all, boolean machineWasShared) {
        int count = stored.verifyBodies().length;
        Report.Section setup = report.section("setup", "Setup: credentials stored through POST /v1/credentials (bench tenant, scope "
                + SCOPE + ") before measuring");
        setup.count("apiKeys", "bearer API keys stored (verify cycles over all of them)", count);
        setup.count("pairs", "SecretId/SecretKey pairs stored (signed-request line)", stored.pairs().length);
        setup.seconds("createSeconds", String.format(Locale.ROOT, "time to create them, %d threads", config.createThreads()),
                stored.createSeconds());
        setup.perSecond("createPerSecond", "creates/s", (count + stored.pairs().length) / stored.createSeconds(), 0);

        for (Figures f : all) {
            String key = f.side().cached() ? "cached" : "uncached";
            Report.Section s = report.section(key, f.side().cached()
                    ? "key-service as deployed: verification cache on (keyfleet.auth.cache-ttl 30 s, valid bearer-key answers reused)"
                    : "key-service with the verification cache off (KEYFLEET_AUTH_CACHE_TTL=PT0S): every verification, the"
                    + " caller's own included, reads the database");
            closedLoopRows(s, "empty", "closed loop: GET /v1/credentials/whoami (empty endpoint)", f.emptyLoop());
            closedLoopRows(s, "verify", String.format(Locale.ROOT, "closed loop: POST /v1/credentials/verify, keys cycling over %,d", count),
                    f.verifyLoop());
            pacedRows(s, "emptyPaced", "paced: whoami", config.pacedRate(), f.emptyPaced());
            pacedRows(s, "verifyPaced", "paced: verify", config.pacedRate(), f.verifyPaced());
            closedLoopRows(s, "signed", "closed loop: verify a signed request (SECRET_PAIR, fresh nonce)", f.signedLoop());
            pacedRows(s, "signedPaced", "paced: verify a signed request", config.signedPacedRate(), f.signedPaced());
        }

        for (Figures f : all) {
            String key = f.side().cached() ? "Cached" : "Uncached";
            String label = " (" + f.side().label() + ")";
            double verifyRate = f.verifyLoop().result().perSecond();
            double emptyRate = f.emptyLoop().result().perSecond();
            report.ratio("verifyVsEmptyThroughput" + key, "verify / empty endpoint, requests/s, closed loop" + label, verifyRate,
                    perSecond(verifyRate), emptyRate, perSecond(emptyRate), "what verifying a presented key costs next to HTTP"
                            + " + authentication alone; 1 = nothing");
            Latencies verifyPaced = f.verifyPaced().result().latency();
            Latencies emptyPaced = f.emptyPaced().result().latency();
            report.ratio("verifyVsEmptyP99Paced" + key, "verify p99 / empty endpoint p99, paced" + label, verifyPaced.p99Ms(),
                    ms(verifyPaced.p99Ms()), emptyPaced.p99Ms(), ms(emptyPaced.p99Ms()), "the latency verification adds at a moderate load");
            Latencies signedPaced = f.signedPaced().result().latency();
            report.ratio("signedVsBearerP99Paced" + key, "signed-request verify p99 / bearer-key verify p99, paced" + label,
                    signedPaced.p99Ms(), ms(signedPaced.p99Ms()), verifyPaced.p99Ms(), ms(verifyPaced.p99Ms()),
                    "a signed request also decrypts the SecretKey, computes the HMAC and writes its nonce");
        }
        for (Figures f : all) {
            String key = f.side().cached() ? "Cached" : "Uncached";
            String label = " (" + f.side().label() + ")";
            double ratio = f.verifyLoop().result().perSecond() / f.emptyLoop().result().perSecond();
            report.target("throughputRatio" + key, "verify throughput at least 0.7 of the empty endpoint's" + label, ratio >= 0.7,
                    String.format(Locale.ROOT, "%.2f (%s vs %s)", ratio, perSecond(f.verifyLoop().result().perSecond()),
                            perSecond(f.emptyLoop().result().perSecond())));
            Latencies paced = f.verifyPaced().result().latency();
            Latencies loop = f.verifyLoop().result().latency();
            report.target("verifyP99" + key, String.format(Locale.ROOT, "verify p99 under 5 ms at %s/s paced%s", trim(config.pacedRate()),
                    label), paced.p99Ms() < 5 && f.verifyPaced().result().rateHeld(config.pacedRate()), String.format(Locale.ROOT,
                    "%s (rate held: %s); closed loop with %d clients: %s", ms(paced.p99Ms()), f.verifyPaced().result().rateHeld(config.pacedRate()) ? "yes" : "NO",
                    config.clients(), ms(loop.p99Ms())));
        }

        if (machineWasShared) {
            report.note("Other processes kept a large share of this machine busy during the run (see 'cpu during run'):"
                    + " absolute figures are noisy; rerun on a quiet machine before quoting them.");
        }
        report.note(String.format(Locale.ROOT, "Closed loop: %d threads, each with its own keep-alive connection, send the next request"
                + " as soon as the last is answered: the service (and this client, on the same 2 cores) is saturated, so latency there"
                + " is mostly queueing (about clients ÷ throughput), and the throughput ratio counts this client's own CPU per"
                + " request on both sides (the key-service CPU per request rows show the service's share alone). Paced: a fixed"
                + " schedule of %s requests/s over %d threads, well below saturation; its p99 is the latency a caller sees at a"
                + " moderate load.", config.clients(), trim(config.pacedRate()), config.pacedThreads()));
        report.note("Both endpoints are called by the same service credential (KEYFLEET_SERVICE_KEYS, scope credentials:verify),"
                + " so both pay the caller's authentication; verify adds the presented key's verification (format and checksum,"
                + " SHA-256, database lookup, state, IP whitelist and scope checks) and a larger JSON body each way.");
        report.note(String.format(Locale.ROOT, "With the cache on (as deployed), a valid bearer key's verification is reused for"
                + " 30 s: after the warm-up has presented every key once, most verify calls are answered from memory, and each key"
                + " is read from the database again when its entry expires. The closed-loop verify run (%d s) and the paced one"
                + " (%d s) each last one cache lifetime, so each includes one database verification per key (%,d), as steady use"
                + " does every 30 s. The cache-off service shows the cost of the database path on every call.",
                config.measure().toSeconds(), config.pacedCachedVerifyDuration().toSeconds(), config.credentials()));
        report.note("Signed requests are never cached: each decrypts the SecretKey (envelope encryption in the database), checks"
                + " the HMAC and inserts its nonce (a write and a commit per request).");
        report.note("Latency is measured by the client (this JVM, sharing the cores): from just before sending to the whole"
                + " response. key-service CPU per request is the service process's CPU time during the scenario ÷ requests.");
        return report;
    }

    private void closedLoopRows(Report.Section s, String key, String label, ServiceScenario scenario) {
        s.perSecond(key + "PerSecond", label + ": requests/s", scenario.result().perSecond());
        s.latencies(key + "Latency", label + ": latency", scenario.result().latency());
        s.millis(key + "CpuMsPerRequest", label + ": key-service CPU per request", scenario.cpuMsPerRequest());
    }

    private void pacedRows(Report.Section s, String key, String label, double rate, ServiceScenario scenario) {
        Load.Result result = scenario.result();
        s.perSecond(key + "Rate", String.format(Locale.ROOT, "%s at %s/s for %d s: rate achieved", label, trim(rate),
                Math.round(result.paced().scheduled() / rate)), result.paced().achievedPerSecond());
        s.millis(key + "ScheduleLagP99Ms", label + ": schedule lag p99", result.paced().lag().p99Ms());
        s.latencies(key + "Latency", label + ": latency", result.latency());
        s.millis(key + "CpuMsPerRequest", label + ": key-service CPU per request", scenario.cpuMsPerRequest());
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, value < 10 ? "%.2f ms" : "%.1f ms", value);
    }

    private static String perSecond(double value) {
        return String.format(Locale.ROOT, "%,.0f/s", value);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
