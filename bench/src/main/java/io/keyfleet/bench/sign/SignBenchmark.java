package io.keyfleet.bench.sign;

import io.keyfleet.auth.Scopes;
import io.keyfleet.auth.VerificationCode;
import io.keyfleet.keys.api.Environment;
import io.keyfleet.keys.api.Verification;
import io.keyfleet.keys.stub.KeyServiceStub;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.bench.support.Benchmark;
import io.keyfleet.bench.support.CpuMonitor;
import io.keyfleet.bench.support.FlatOut;
import io.keyfleet.bench.support.Latencies;
import io.keyfleet.bench.support.LocalStack;
import io.keyfleet.bench.support.Report;
import io.keyfleet.bench.support.BenchServices;
import io.keyfleet.launcher.KeyfleetService;
import io.keyfleet.launcher.ServiceEnvironment;
import io.keyfleet.launcher.ServiceProcess;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * RSA-2048 signing and verification over HTTP: two real signing-service processes (prod profile, this run's PostgreSQL
 * and Kafka, loopback), one with Amazon Corretto Crypto Provider and one forced onto the JDK's provider, against
 * {@code openssl speed -multi <cores> rsa2048} measured in the same run. Scenarios, on each service in turn:
 * {@code POST /v1/sign} (alipay-rsa2, one signature per request), {@code POST /v1/sign/batch}, {@code POST /v1/verify}
 * (an alipay-v3 response, one per request) and {@code POST /v1/verify/batch}, each flat out from several keep-alive
 * clients in this JVM. key-service is stood in for by key-service-stub ({@link #keyService}, asked once per key).
 */
@ApplicationScoped
public class SignBenchmark implements Benchmark {

    private static final String TENANT = "bench";
    private static final String APP_ID = "2021000000000001";
    private static final String SERVICE_KEY = "kf_test_bench-signing-service";
    /** The API key the benchmark's clients call signing-service with. */
    private static final String CALLER_KEY = "kf_test_bench-caller";
    private static final Pattern PROVIDER_LINE = Pattern.compile("RSA signing uses ([A-Za-z]+)");

    @Inject
    SignBenchConfig config;

    @Inject
    BenchServices services;

    @ConfigProperty(name = "bench.postgres.port", defaultValue = "0")
    int postgresPort;

    private final ObjectMapper json = new ObjectMapper();

    /** What one scenario measured on one service. */
    record Scenario(String name, int itemsPerRequest, FlatOut.Result result, Latencies latencies, double cpuMsPerItem) {
        double itemsPerSecond() {
            return result.perSecond() * itemsPerRequest;
        }
    }

    record Side(String label, String provider, Scenario sign, Scenario signBatch, Scenario verify, Scenario verifyBatch) {
    }

    @Override
    public Report run() throws Exception {
        Report report = new Report("sign", "RSA-2048 signatures and verifications per second over HTTP vs openssl speed");
        CpuMonitor cpu = CpuMonitor.start(postgresPort);
        int cores = Runtime.getRuntime().availableProcessors();
        report.environment("git", System.getProperty("bench.git", "unknown"));
        report.environment("machine", cores + " cores, " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                + "; the clients, both services and PostgreSQL share them");
        report.environment("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));

        LocalStack.log("reference: openssl speed -multi %d -seconds %d rsa2048", cores, config.opensslSeconds());
        OpensslSpeed.Result openssl = OpensslSpeed.run(cores, config.opensslSeconds());
        report.environment("openssl", openssl.version() + " (" + openssl.command() + ")");

        KeyPair appKey = rsa();
        KeyPair providerKey = rsa();
        byte[] signBody = json.writeValueAsBytes(signRequest());
        byte[] signBatchBody = json.writeValueAsBytes(Map.of("items", java.util.Collections.nCopies(config.batchSize(), signRequest())));
        Map<String, Object> verifyRequest = verifyRequest(providerKey);
        byte[] verifyBody = json.writeValueAsBytes(verifyRequest);
        byte[] verifyBatchBody = json.writeValueAsBytes(Map.of("items", java.util.Collections.nCopies(config.batchSize(), verifyRequest)));

        Path jar = services.jar(KeyfleetService.SIGNING_SERVICE, config.signingServiceJar());
        report.environment("signing-service", jar + " (prod profile), JVM " + config.jvmOptions() + "; " + config.clients()
                + " clients (JDK HttpClient, HTTP/1.1 keep-alive) in this JVM; batches of " + config.batchSize());
        Path work = Files.createTempDirectory("keyfleet-bench-sign-");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        List<String> jvm = ServiceProcess.splitOptions(config.jvmOptions());
        try (KeyServiceStub keyService = keyService(appKey, providerKey);
             ServiceProcess accp = services.launch(jar, environment(keyService, true), jvm, work, "signing-accp.log");
             ServiceProcess jdk = services.launch(jar, environment(keyService, false), jvm, work, "signing-jdk.log")) {
            accp.awaitReady(config.startTimeout());
            jdk.awaitReady(config.startTimeout());
            List<ServiceProcess> services = List.of(accp, jdk);
            for (ServiceProcess service : services) {
                LocalStack.log("warm-up on pid %d: sign and verify flat out, %d s", service.pid(), config.warmUp().toSeconds());
                scenario("warm-up-sign", service, http, "/v1/sign", signBody, 1, config.warmUp().dividedBy(2));
                scenario("warm-up-verify", service, http, "/v1/verify", verifyBody, 1, config.warmUp().dividedBy(2));
            }
            List<Scenario[]> measured = new ArrayList<>();
            String[][] plan = {{"sign", "/v1/sign"}, {"sign-batch", "/v1/sign/batch"}, {"verify", "/v1/verify"}, {"verify-batch", "/v1/verify/batch"}};
            byte[][] bodies = {signBody, signBatchBody, verifyBody, verifyBatchBody};
            for (int s = 0; s < plan.length; s++) {
                Scenario[] pair = new Scenario[2];
                for (int i = 0; i < 2; i++) {
                    int items = plan[s][1].endsWith("batch") ? config.batchSize() : 1;
                    LocalStack.log("%s on %s: %d clients flat out for %d s", plan[s][0], i == 0 ? "ACCP" : "JDK", config.clients(),
                            config.measure().toSeconds());
                    pair[i] = scenario(plan[s][0], services.get(i), http, plan[s][1], bodies[s], items, config.measure());
                }
                measured.add(pair);
            }
            Side accpSide = new Side("accp", provider(accp), measured.get(0)[0], measured.get(1)[0], measured.get(2)[0], measured.get(3)[0]);
            Side jdkSide = new Side("jdk", provider(jdk), measured.get(0)[1], measured.get(1)[1], measured.get(2)[1], measured.get(3)[1]);
            report.environment("cpu during run", cpu.summary());
            return fill(report, openssl, accpSide, jdkSide, cpu.machineWasShared());
        } finally {
            LocalStack.log("signing-service logs in %s", work);
        }
    }

    private Scenario scenario(String name, ServiceProcess service, HttpClient http, String path, byte[] body, int items,
                              Duration duration) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(service.baseUrl().resolve(path)).timeout(config.requestTimeout())
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + CALLER_KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        int clients = config.clients();
        List<List<Long>> nanos = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            nanos.add(new ArrayList<>());
        }
        long cpuBefore = service.cpuNanos();
        FlatOut.Result result = FlatOut.run("bench-" + name, clients, duration, (thread, n) -> {
            long start = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long took = System.nanoTime() - start;
            if (response.statusCode() != 200 || (path.startsWith("/v1/verify") && !new String(response.body(), StandardCharsets.UTF_8).contains("\"valid\":true"))) {
                throw new IOException(path + " answered " + response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8));
            }
            nanos.get(thread).add(took);
        });
        double cpuMs = (service.cpuNanos() - cpuBefore) / 1e6;
        if (result.failed() > 0) {
            throw new IllegalStateException(name + ": " + result.failed() + " requests failed; first: " + result.firstFailure(), result.firstFailure());
        }
        long[] all = nanos.stream().flatMap(List::stream).mapToLong(Long::longValue).toArray();
        return new Scenario(name, items, result, Latencies.ofNanos(all), cpuMs / Math.max(1, result.operations() * items));
    }

    private Report fill(Report report, OpensslSpeed.Result openssl, Side accp, Side jdk, boolean shared) {
        report.section("openssl", "Reference: openssl speed -multi " + openssl.processes() + " rsa2048")
                .perSecond("sign", "RSA-2048 signatures/s", openssl.signPerSecond())
                .perSecond("verify", "RSA-2048 verifications/s", openssl.verifyPerSecond());
        for (Side side : List.of(accp, jdk)) {
            Report.Section section = report.section(side.label(), "signing-service with " + side.provider());
            for (Scenario s : List.of(side.sign(), side.signBatch(), side.verify(), side.verifyBatch())) {
                String what = s.name().startsWith("sign") ? "signatures/s" : "verifications/s";
                section.perSecond(s.name(), s.name() + ": " + what + (s.itemsPerRequest() > 1 ? " (" + s.itemsPerRequest() + " per request)" : ""),
                        s.itemsPerSecond());
                section.latencies(s.name() + "-latency", s.name() + ": request latency", s.latencies());
                section.millis(s.name() + "-cpu", s.name() + ": service CPU per item, ms", s.cpuMsPerItem());
            }
        }
        double sslSign = openssl.signPerSecond();
        double sslVerify = openssl.verifyPerSecond();
        report.ratio("accp-sign", "ACCP POST /v1/sign / openssl sign", accp.sign().itemsPerSecond(), fmt(accp.sign().itemsPerSecond()), sslSign, fmt(sslSign),
                "share of the machine's RSA signing speed delivered over HTTP, one signature per request");
        report.ratio("accp-sign-batch", "ACCP POST /v1/sign/batch / openssl sign", accp.signBatch().itemsPerSecond(),
                fmt(accp.signBatch().itemsPerSecond()), sslSign, fmt(sslSign), "the same with " + config.batchSize() + " signatures per request");
        report.ratio("jdk-sign", "JDK POST /v1/sign / openssl sign", jdk.sign().itemsPerSecond(), fmt(jdk.sign().itemsPerSecond()), sslSign, fmt(sslSign),
                "what the JDK's provider delivers");
        report.ratio("jdk-sign-batch", "JDK POST /v1/sign/batch / openssl sign", jdk.signBatch().itemsPerSecond(),
                fmt(jdk.signBatch().itemsPerSecond()), sslSign, fmt(sslSign), "the JDK's provider, batched");
        report.ratio("accp-vs-jdk", "ACCP / JDK, POST /v1/sign", accp.sign().itemsPerSecond(), fmt(accp.sign().itemsPerSecond()),
                jdk.sign().itemsPerSecond(), fmt(jdk.sign().itemsPerSecond()), "what ACCP buys");
        report.ratio("accp-verify", "ACCP POST /v1/verify / openssl verify", accp.verify().itemsPerSecond(), fmt(accp.verify().itemsPerSecond()),
                sslVerify, fmt(sslVerify), "verification is cheap: HTTP and JSON dominate");
        report.ratio("accp-verify-batch", "ACCP POST /v1/verify/batch / openssl verify", accp.verifyBatch().itemsPerSecond(),
                fmt(accp.verifyBatch().itemsPerSecond()), sslVerify, fmt(sslVerify), "verification, batched");
        report.target("sign", "POST /v1/sign signatures/s ≥ " + config.target() + " × openssl (ACCP)",
                accp.sign().itemsPerSecond() >= config.target() * sslSign, String.format("%.2f×", accp.sign().itemsPerSecond() / sslSign));
        report.target("sign-batch", "POST /v1/sign/batch signatures/s ≥ " + config.target() + " × openssl (ACCP)",
                accp.signBatch().itemsPerSecond() >= config.target() * sslSign, String.format("%.2f×", accp.signBatch().itemsPerSecond() / sslSign));
        report.note("OpenSSL runs alone on all cores; over HTTP the load-generating clients, the service and its JVM share the same"
                + " cores, so the HTTP figures include the client's cost.");
        if (shared) {
            report.note("Other processes used a large share of the CPU during this run: the figures are noisy.");
        }
        return report.finish();
    }

    private String provider(ServiceProcess service) {
        return service.logMatch(PROVIDER_LINE).map(m -> m.group(1)).orElse("unknown provider");
    }

    /**
     * key-service for this benchmark, in its JVM: key-service-stub holding one app key, one provider key and the caller's
     * credential. signing-service verifies the caller there once and then from its verification cache, and asks for the key
     * once per version and then signs from memory, so the benchmark measures signing-service, not key-service.
     */
    private static KeyServiceStub keyService(KeyPair appKey, KeyPair providerKey) {
        KeyServiceStub stub = new KeyServiceStub();
        stub.addKeyVersion(UUID.randomUUID(), TENANT, "alipay", APP_ID, Environment.SANDBOX, 1, appKey);
        stub.addProviderKeyVersion(UUID.randomUUID(), TENANT, "alipay", Environment.SANDBOX, 1, providerKey);
        stub.putVerification(CALLER_KEY, new Verification(true, VerificationCode.VALID, "The credential is valid.", UUID.randomUUID(),
                TENANT, List.of(Scopes.SIGNING_SIGN, Scopes.SIGNING_VERIFY), null));
        return stub.serve(SERVICE_KEY, 0);
    }

    private ServiceEnvironment environment(KeyServiceStub keyService, boolean accp) {
        return services.environment(KeyfleetService.SIGNING_SERVICE)
                .peer(KeyfleetService.KEY_SERVICE, URI.create(keyService.url()))
                .serviceApiKey(SERVICE_KEY)
                .set("KEYFLEET_SIGNING_ACCP", String.valueOf(accp));
    }

    private static Map<String, Object> signRequest() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("app_id", APP_ID);
        params.put("method", "alipay.trade.query");
        params.put("charset", "utf-8");
        params.put("sign_type", "RSA2");
        params.put("timestamp", "2026-11-22 12:00:00");
        params.put("version", "1.0");
        params.put("biz_content", "{\"out_trade_no\":\"T-1001\",\"query_options\":[\"trade_settle_info\"]}");
        return Map.of("key", Map.of("provider", "alipay", "appId", APP_ID, "environment", "SANDBOX"), "scheme", "alipay-rsa2",
                "request", Map.of("params", params));
    }

    /** An alipay-v3 response signed with the provider's key, as Alipay signs it: timestamp\nnonce\nbody\n. */
    private static Map<String, Object> verifyRequest(KeyPair provider) throws Exception {
        String body = "{\"trade_no\":\"2026112222001\",\"out_trade_no\":\"T-1001\",\"total_amount\":\"88.88\",\"trade_status\":\"TRADE_SUCCESS\"}";
        String timestamp = "1763800001000";
        String nonce = "bench-nonce-1";
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(provider.getPrivate());
        signature.update((timestamp + "\n" + nonce + "\n" + body + "\n").getBytes(StandardCharsets.UTF_8));
        String sign = Base64.getEncoder().encodeToString(signature.sign());
        return Map.of("key", Map.of("provider", "alipay", "environment", "SANDBOX"), "scheme", "alipay-v3", "kind", "RESPONSE",
                "message", Map.of("body", body, "headers", Map.of("alipay-timestamp", timestamp, "alipay-nonce", nonce, "alipay-signature", sign)));
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static String fmt(double perSecond) {
        return String.format("%,.0f/s", perSecond);
    }
}
