package io.keyfleet.bench.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import io.keyfleet.bench.sign.OpensslSpeed;
import io.keyfleet.bench.support.Benchmark;
import io.keyfleet.bench.support.CpuMonitor;
import io.keyfleet.bench.support.KeyServiceClient;
import io.keyfleet.bench.support.BenchServices;
import io.keyfleet.launcher.KeyfleetService;
import io.keyfleet.bench.support.Latencies;
import io.keyfleet.bench.support.Load;
import io.keyfleet.bench.support.LocalStack;
import io.keyfleet.bench.support.Report;
import io.keyfleet.launcher.ServiceProcess;
import io.keyfleet.bench.support.ServiceScenario;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Issue 6's benchmark: N grants (100,000 by default) whose access tokens all expire within a short window, kept alive
 * by token-service's refresh scheduler against the provider sandbox, everything real (key-service, signing-service,
 * the sandbox and token-service as processes, see {@link TokenFleet}).
 *
 * <ol>
 *   <li>Reference: {@code openssl speed -multi <cores> rsa2048}. A refresh costs two RSA-2048 signatures (signing-service
 *   signs the gateway request, the sandbox signs its answer) and two verifications.</li>
 *   <li>Seeding: consent + {@code POST /v1/grants/exchange} per merchant, concurrently, after a warm-up on another app
 *   whose rate places the window: while seeding, the sandbox app's access-token lifetime is steered so that every
 *   token expires in [T, T + window], T = estimated end of seeding + token-service's refresh margin + jitter.</li>
 *   <li>Refreshes: the scheduler refreshes the grants as they fall due; readers call {@code GET …/token} of random
 *   grants throughout and count every expired token handed out and every 409 TOKEN_EXPIRED; the due backlog is sampled
 *   from token-service's database every second. Afterwards: refreshes per second from the sandbox's call log, exactly
 *   one refresh per grant (sandbox stats), grants whose token lapsed at the provider before its refresh was issued
 *   (the sandbox's token ledger), and the end state of every grant.</li>
 *   <li>{@code GET /v1/grants/{id}/token} flat out from keep-alive clients, against {@code GET /q/health/live} of the
 *   same token-service.</li>
 * </ol>
 */
@ApplicationScoped
public class TokensBenchmark implements Benchmark {

    private static final String TENANT = "bench-tokens";
    private static final String APP_ID = "2021000000100001";
    private static final String WARM_UP_APP_ID = "2021000000100002";
    private static final long ONE_DAY = 86_400;

    @Inject
    TokensBenchConfig config;

    @Inject
    BenchServices services;

    @ConfigProperty(name = "bench.postgres.port", defaultValue = "0")
    int postgresPort;

    /** One look at token-service's grants of the benchmark app while the refreshes run. */
    record Sample(long atMillis, long due, long refreshed, long expiredNow) {
    }

    @Override
    public Report run() throws Exception {
        int n = config.grants();
        Report report = new Report("tokens", String.format(Locale.ROOT, "%,d grants expiring within %d s: refreshes/s the scheduler"
                + " sustains, grants seen expired, GET …/token", n, config.window().toSeconds()));
        CpuMonitor cpu = CpuMonitor.start(postgresPort);
        int cores = Runtime.getRuntime().availableProcessors();
        report.environment("git", System.getProperty("bench.git", "unknown"));
        report.environment("machine", cores + " cores, " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                + "; the clients, the four services, PostgreSQL and Kafka share them");
        report.environment("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));

        LocalStack.log("reference: openssl speed -multi %d -seconds %d rsa2048", cores, config.opensslSeconds());
        OpensslSpeed.Result openssl = OpensslSpeed.run(cores, config.opensslSeconds());
        report.environment("openssl", openssl.version() + " (" + openssl.command() + ")");

        List<String> jvm = ServiceProcess.splitOptions(config.jvmOptions());
        List<String> tokenJvm = new ArrayList<>(jvm);
        tokenJvm.add("-Dkeyfleet.tokens.refresh-margin=" + config.refreshMargin());
        tokenJvm.add("-Dkeyfleet.tokens.refresh-jitter=" + config.refreshJitter());
        config.schedulerConcurrency().ifPresent(c -> tokenJvm.add("-Dkeyfleet.tokens.scheduler.concurrency=" + c));
        config.schedulerBatchSize().ifPresent(b -> tokenJvm.add("-Dkeyfleet.tokens.scheduler.batch-size=" + b));
        report.environment("services", "key-service, signing-service, provider-sandbox, token-service: quarkus-run.jar (prod profile),"
                + " JVM " + config.jvmOptions() + "; token-service " + String.join(" ", tokenJvm.subList(jvm.size(), tokenJvm.size()))
                + " (scheduler otherwise at its defaults)");

        FleetDatabases db = new FleetDatabases(services.jdbcUrl(KeyfleetService.TOKEN_SERVICE),
                services.jdbcUrl(KeyfleetService.PROVIDER_SANDBOX), services.dbUser(), services.dbPassword());
        Path work = BenchServices.temporaryDirectory("tokens");
        HttpClient http = KeyServiceClient.newHttpClient();
        boolean succeeded = false;
        LocalStack.log("starting key-service, provider-sandbox, signing-service and token-service (logs in %s)", work);
        try (TokenFleet fleet = new TokenFleet(services, work, jvm, tokenJvm)) {
            fleet.awaitReady(config.startTimeout());
            TokensApi api = new TokensApi(http, fleet, TENANT, config.requestTimeout());
            api.setUpTenant();
            String appKey = api.createAppKey(APP_ID);
            String warmUpKey = api.createAppKey(WARM_UP_APP_ID);
            api.registerApp(WARM_UP_APP_ID, warmUpKey, ONE_DAY);
            api.registerApp(APP_ID, appKey, ONE_DAY);

            LocalStack.log("warm-up: %d exchanges on another app, %d threads", config.warmUpGrants(), config.seedThreads());
            Seeder.Result warmUp = Seeder.run("warm-up", api, WARM_UP_APP_ID, "2089", config.warmUpGrants(), config.seedThreads(),
                    new AtomicInteger(), Duration.ofMinutes(10));
            requireSeeded("warm-up", warmUp);
            double estimatedRate = config.seedRate().orElse(warmUp.secondHalfPerSecond());

            // the window: after the estimated end of seeding plus margin and jitter, so that no grant falls due while seeding
            Instant seedStart = Instant.now();
            Duration estimatedSeeding = Duration.ofMillis((long) (1000.0 * n / estimatedRate * config.seedSafety()));
            Instant windowStart = seedStart.plus(estimatedSeeding).plus(config.refreshMargin()).plus(config.refreshJitter());
            LocalStack.log("seeding %,d grants at ~%.0f exchanges/s (%s): about %d s; their tokens expire from %s to %s",
                    n, estimatedRate, config.seedRate().isPresent() ? "given" : "warm-up", estimatedSeeding.toSeconds(), windowStart, windowStart.plus(config.window()));
            AtomicInteger done = new AtomicInteger();
            LifetimeSteering steering = new LifetimeSteering(api, APP_ID, appKey, windowStart, config.window(), n, done);
            Seeder.Result seed;
            try (steering) {
                seed = Seeder.run("seed", api, APP_ID, "2088", n, config.seedThreads(), done, Duration.ofHours(3));
            }
            api.registerApp(APP_ID, appKey, ONE_DAY); // the refreshed tokens live a day: one refresh cycle in this run
            requireSeeded("seeding", seed);
            Instant seedEnd = Instant.now();
            FleetDatabases.Spread spread = db.spread(APP_ID);
            LocalStack.log("seeded %,d grants in %.0f s (%.0f/s); tokens expire %s … %s; refreshes planned %s … %s", n,
                    seed.elapsedNs() / 1e9, seed.perSecond(), spread.expiry()[0], spread.expiry()[4], spread.nextRefresh()[0],
                    spread.nextRefresh()[4]);

            // the refreshes, watched
            long cpuBefore = fleet.cpuNanos();
            List<Sample> samples = new ArrayList<>();
            Instant deadline = spread.expiry()[4].plus(config.refreshTimeout());
            ExpiryReaders readers = new ExpiryReaders(api, seed.grantIds(), config.readRate(), config.readThreads());
            LocalStack.log("refreshes: waiting until every grant is refreshed (at most until %s); %d GET …/token/s meanwhile",
                    deadline, config.readRate());
            try (readers) {
                long lastLog = 0;
                while (Instant.now().isBefore(deadline)) {
                    FleetDatabases.GrantState state = db.grantState(APP_ID);
                    samples.add(new Sample(System.currentTimeMillis(), state.due(), state.refreshed(), state.expiredNow()));
                    if (System.currentTimeMillis() - lastLog > 30_000) {
                        LocalStack.log("  refreshed %,d of %,d; due and waiting %,d; holding an expired token %,d; reads %,d, seen expired %d",
                                state.refreshed(), n, state.due(), state.expiredNow(), readers.reads.get(), readers.grantsSeenExpired());
                        lastLog = System.currentTimeMillis();
                    }
                    if (state.refreshed() >= n) {
                        break;
                    }
                    Thread.sleep(1000);
                }
                Thread.sleep(2000); // readers look at the last refreshed grants too
            }
            long refreshCpuNs = fleet.cpuNanos() - cpuBefore;
            List<long[]> perSecond = db.refreshesPerSecond(APP_ID);
            JsonNode stats = api.refreshStats(APP_ID);
            long lapsed = db.lapsedAtProvider(APP_ID);
            FleetDatabases.GrantState end = db.grantState(APP_ID);
            LocalStack.log("refreshes done: %s; lapsed at the provider %d; end state %s", stats, lapsed, end);

            // GET …/token against the health endpoint
            String[] ids = seed.grantIds();
            HttpRequest health = HttpRequest.newBuilder(fleet.tokenService.baseUrl().resolve("/q/health/live"))
                    .timeout(config.requestTimeout()).GET().build();
            LocalStack.log("GET …/token and GET /q/health/live: %d clients flat out, %d s warm-up, %d s each",
                    config.clients(), config.getWarmUp().toSeconds(), config.getMeasure().toSeconds());
            Load.flatOut("get-warm-up", config.clients(), config.getWarmUp(), i -> getToken(http, api, ids));
            Load.flatOut("health-warm-up", config.clients(), config.getWarmUp().dividedBy(2), i -> ok(http, health));
            long healthCpu = fleet.tokenService.cpuNanos();
            Load.Result healthRun = ServiceScenario.requireNoFailure("health",
                    Load.flatOut("health", config.clients(), config.getMeasure(), i -> ok(http, health)));
            healthCpu = fleet.tokenService.cpuNanos() - healthCpu;
            long tokenCpu = fleet.tokenService.cpuNanos();
            Load.Result tokenRun = ServiceScenario.requireNoFailure("GET token",
                    Load.flatOut("get-token", config.clients(), config.getMeasure(), i -> getToken(http, api, ids)));
            tokenCpu = fleet.tokenService.cpuNanos() - tokenCpu;

            report.environment("cpu during run", cpu.summary());
            fill(report, openssl, warmUp, seed, seedStart, seedEnd, windowStart, spread, samples, perSecond, stats, lapsed, end,
                    readers, refreshCpuNs, healthRun, healthCpu, tokenRun, tokenCpu, cpu.machineWasShared());
            succeeded = true;
            return report;
        } finally {
            if (succeeded) {
                BenchServices.deleteRecursively(work);
            } else {
                LocalStack.log("service logs kept in %s", work);
            }
        }
    }

    private void fill(Report report, OpensslSpeed.Result openssl, Seeder.Result warmUp, Seeder.Result seed, Instant seedStart,
                      Instant seedEnd, Instant windowStart, FleetDatabases.Spread spread, List<Sample> samples,
                      List<long[]> perSecond, JsonNode stats, long lapsed, FleetDatabases.GrantState end, ExpiryReaders readers,
                      long refreshCpuNs, Load.Result health, long healthCpuNs, Load.Result token, long tokenCpuNs, boolean shared) {
        int n = config.grants();
        report.section("openssl", "Reference: openssl speed -multi " + openssl.processes() + " rsa2048")
                .perSecond("sign", "RSA-2048 signatures/s", openssl.signPerSecond())
                .perSecond("verify", "RSA-2048 verifications/s", openssl.verifyPerSecond());

        report.section("seeding", "Seeding: consent + POST /v1/grants/exchange, " + config.seedThreads() + " threads")
                .perSecond("warmUpRate", "warm-up exchanges/s (" + config.warmUpGrants() + " on another app, 2nd half)",
                        warmUp.secondHalfPerSecond())
                .count("grants", "grants exchanged", n - seed.failed())
                .count("retries", "exchanges tried again (new consent)", seed.retries())
                .seconds("seconds", "seeding took, s", seed.elapsedNs() / 1e9)
                .perSecond("rate", "exchanges/s", seed.perSecond())
                .latencies("exchangeLatency", "exchange latency", seed.exchangeLatency());

        Instant[] e = spread.expiry();
        Instant[] r = spread.nextRefresh();
        report.section("window", "Where the expiries fell (token-service's stored access_expires_at, next_refresh_at)")
                .seconds("windowStartAfterSeeding", "planned window start after seeding ended, s", secondsBetween(seedEnd, windowStart))
                .seconds("expirySpread", "expiries: first → last, s", secondsBetween(e[0], e[4]))
                .seconds("expirySpread98", "expiries: p1 → p99, s", secondsBetween(e[1], e[3]))
                .seconds("expiryFirstAfterSeeding", "first expiry after seeding ended, s", secondsBetween(seedEnd, e[0]))
                .seconds("refreshSpread", "planned refreshes (expiry − margin − jitter): first → last, s", secondsBetween(r[0], r[4]))
                .seconds("refreshFirstAfterSeeding", "first planned refresh after seeding ended, s", secondsBetween(seedEnd, r[0]));

        // refresh rate: from the sandbox's call log; "sustained" = while token-service had a backlog of due grants
        RefreshRates rates = RefreshRates.of(perSecond, samples.stream().map(s -> new RefreshRates.Look(s.atMillis(), s.due())).toList());
        long totalRefreshes = rates.total();
        double sustained = rates.sustained();
        // without a backlog the scheduler was never the limit: compare what it did, first refresh to last
        double refreshRate = Double.isNaN(sustained) ? rates.overall() : sustained;
        String refreshRateName = Double.isNaN(sustained) ? "refreshes/s (first → last; no backlog)" : "sustained refreshes/s";
        long backlogPeak = samples.stream().mapToLong(Sample::due).max().orElse(0);
        long maxExpiredAtOnce = samples.stream().mapToLong(Sample::expiredNow).max().orElse(0);
        report.section("refresh", "Refreshes by token-service's scheduler against the sandbox")
                .count("refreshes", "successful upstream refreshes (sandbox call log)", totalRefreshes)
                .seconds("refreshSeconds", "first → last refresh, s", rates.spanSeconds())
                .perSecond("overallRate", "refreshes/s, first → last", rates.overall())
                .count("backlogPeak", "peak backlog: grants due, not yet claimed by the scheduler", backlogPeak)
                .seconds("busySeconds", "time with a backlog, s", rates.busySeconds())
                .perSecond("sustainedRate", "refreshes/s sustained while there was a backlog", sustained)
                .perSecond("peak10s", "refreshes/s, best 10 s", rates.bestTenSeconds())
                .millis("cpuPerRefresh", "CPU of the four services per refresh, ms (incl. reads)", refreshCpuNs / 1e6 / Math.max(1, totalRefreshes))
                .count("maxRefreshesOfOneToken", "most refreshes with one refresh token (sandbox; 1 = single flight)",
                        stats.path("maxRefreshesOfOneToken").asLong())
                .count("tokensRefreshedMoreThanOnce", "refresh tokens used more than once (sandbox)", stats.path("tokensRefreshedMoreThanOnce").asLong());

        report.section("expired", "Grants seen expired (goal: zero)")
                .count("reads", "GET …/token by the readers while refreshing (" + config.readRate() + "/s, random grants)", readers.reads.get())
                .latencies("readLatency", "readers' GET …/token latency", readers.latency())
                .count("handedOutExpired", "answers with a token at or past its expiresAt", readers.handedOutExpired.get())
                .count("tokenExpired409", "answers 409 TOKEN_EXPIRED", readers.tokenExpired409.get())
                .count("readErrors", "other answers or failures", readers.errors.get())
                .count("grantsSeenExpired", "grants seen expired by the readers", readers.grantsSeenExpired())
                .count("maxHoldingExpired", "most grants holding an expired token at one look (token-service DB, every 1 s)", maxExpiredAtOnce)
                .count("lapsedAtProvider", "grants whose token expired before its refresh was issued (sandbox ledger)", lapsed)
                .count("endNotActive", "at the end: grants not ACTIVE", end.grants() - end.active())
                .count("endNotRefreshed", "at the end: grants never refreshed", end.grants() - end.refreshed())
                .count("endExpired", "at the end: grants holding an expired token", end.expiredNow());
        if (seed.retries() + warmUp.retries() > 0) {
            report.note("Exchanges were tried again " + (seed.retries() + warmUp.retries()) + " times (warm-up and seeding); the first"
                    + " failure: " + (warmUp.firstFailure() != null ? warmUp.firstFailure() : seed.firstFailure()));
        }
        if (readers.firstProblem.get() != null) {
            report.note("First problem a reader saw: " + readers.firstProblem.get());
        }

        double healthRate = health.perSecond();
        double tokenRate = token.perSecond();
        Latencies healthLatency = health.latency();
        Latencies tokenLatency = token.latency();
        report.section("get", "GET /v1/grants/{id}/token, " + config.clients() + " clients flat out, random grants, " + config.getMeasure().toSeconds() + " s")
                .perSecond("healthRate", "reference GET /q/health/live requests/s", healthRate)
                .latencies("healthLatency", "GET /q/health/live latency", healthLatency)
                .millis("healthCpu", "token-service CPU per health request, ms", healthCpuNs / 1e6 / Math.max(1, health.ok()))
                .perSecond("tokenRate", "GET …/token requests/s", tokenRate)
                .latencies("tokenLatency", "GET …/token latency", tokenLatency)
                .millis("tokenCpu", "token-service CPU per GET …/token, ms", tokenCpuNs / 1e6 / Math.max(1, token.ok()));

        report.ratio("refresh-vs-openssl", refreshRateName + " / openssl signatures/s", refreshRate, fmt(refreshRate),
                openssl.signPerSecond(), fmt(openssl.signPerSecond()), "each refresh needs 2 RSA-2048 signatures (signing-service's"
                        + " request, the sandbox's answer), so 0.5 is the ceiling if nothing else cost anything");
        report.ratio("refresh-vs-exchange", refreshRateName + " / seeding exchanges/s", refreshRate, fmt(refreshRate), seed.perSecond(),
                fmt(seed.perSecond()), "the same upstream round trip, driven by the scheduler instead of " + config.seedThreads() + " clients");
        report.ratio("get-vs-health", "GET …/token / health requests/s", tokenRate, fmt(tokenRate), healthRate, fmt(healthRate),
                "what authentication, the grant read and decryption cost against the service's cheapest endpoint");
        report.ratio("get-vs-health-p99", "GET …/token p99 / health p99", tokenLatency.p99Ms(), ms(tokenLatency.p99Ms()),
                healthLatency.p99Ms(), ms(healthLatency.p99Ms()), "tail latency, both flat out");

        boolean noneExpired = readers.grantsSeenExpired() == 0 && lapsed == 0 && end.expiredNow() == 0 && end.refreshed() == end.grants()
                && end.active() == end.grants();
        report.target("none-expired", "no grant seen expired, every grant refreshed once and ACTIVE", noneExpired,
                readers.grantsSeenExpired() + " seen by readers, " + lapsed + " lapsed at the provider, "
                        + (end.grants() - end.refreshed()) + " not refreshed");
        // a grant refreshed early in a long run can come due again before the run ends: that second refresh uses the new
        // refresh token, so single flight is "no refresh token used twice", not "as many refreshes as grants"
        long maxPerToken = stats.path("maxRefreshesOfOneToken").asLong();
        long usedTwice = stats.path("tokensRefreshedMoreThanOnce").asLong();
        report.target("single-flight", "exactly one upstream refresh per grant per cycle (sandbox: every refresh token used once)",
                maxPerToken == 1 && usedTwice == 0 && totalRefreshes >= n,
                "max refreshes of one token " + maxPerToken + ", tokens used more than once " + usedTwice + "; " + totalRefreshes
                        + " refreshes for " + n + " grants (" + Math.max(0, totalRefreshes - n) + " of them a grant's next cycle come due"
                        + " during the run)");
        if (Double.isNaN(sustained)) {
            report.note("No backlog of due grants built up: the scheduler kept up with the grants as they fell due, so the refresh"
                    + " rate shown is the rate they fell due at, not the most the scheduler can do.");
        }
        report.note(String.format(Locale.ROOT, "Seeding started %s and ended %s; the window was placed from %s (%.0f/s) × %.2f"
                + " safety, plus refresh margin %s and jitter %s.", seedStart, seedEnd,
                config.seedRate().isPresent() ? "the given seeding rate" : "the warm-up's rate",
                config.seedRate().orElse(warmUp.secondHalfPerSecond()), config.seedSafety(), config.refreshMargin(), config.refreshJitter()));
        report.note("Refresh figures count the sandbox's successful refresh_token calls for the benchmark app; a refresh on read"
                + " (a reader finding a token within 1 s of expiry) counts as well.");
        if (shared) {
            report.note("Other processes used a large share of the CPU during this run: the figures are noisy.");
        }
    }

    private static void getToken(HttpClient http, TokensApi api, String[] ids) throws IOException, InterruptedException {
        String id = ids[ThreadLocalRandom.current().nextInt(ids.length)];
        HttpResponse<String> response = http.send(api.tokenRequest(id), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET …/token of " + id + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static void ok(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IOException(request.uri().getPath() + " answered " + response.statusCode());
        }
    }

    private static void requireSeeded(String what, Seeder.Result result) {
        if (result.failed() > 0) {
            throw new IllegalStateException(what + ": " + result.failed() + " grants could not be exchanged; first failure: "
                    + result.firstFailure(), result.firstFailure());
        }
    }

    private static double secondsBetween(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static String fmt(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f/s", perSecond);
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.2f ms", value);
    }
}
