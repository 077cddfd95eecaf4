package io.keyfleet.bench.tokens;

import io.keyfleet.auth.ApiKeyFormat;
import io.keyfleet.bench.sign.SignBenchmark;
import io.keyfleet.bench.support.KeyServiceLauncher;
import io.keyfleet.bench.support.LocalStack;
import io.keyfleet.bench.support.ServiceProcess;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four real services a merchant token goes through, each {@code <module>/target/quarkus-app/quarkus-run.jar} in its
 * own JVM on loopback with the environment {@code ./keyfleet up} gives it (cli's Suite): key-service (app key, the
 * sandbox's platform key, credentials), signing-service (signs token-service's gateway calls and checks the answers),
 * the provider sandbox (the Alipay-style gateway) and token-service (exchange, scheduler, GET …/token).
 */
final class TokenFleet implements AutoCloseable {

    static final String TOKEN_DATABASE = "token_service";
    static final String SANDBOX_DATABASE = "provider_sandbox";

    final String adminApiKey = ApiKeyFormat.generate(false);
    final ServiceProcess keyService;
    final ServiceProcess signingService;
    final ServiceProcess sandbox;
    final ServiceProcess tokenService;
    private final List<ServiceProcess> all = new ArrayList<>();

    /**
     * @param databases       JDBC URL per database name (BenchMain made them)
     * @param tokenServiceJvm token-service's JVM options, including its -Dkeyfleet.tokens.* settings for the run
     */
    TokenFleet(KeyServiceLauncher launcher, Path projectRoot, Path work, Map<String, String> databases, String dbUser,
               String dbPassword, String kafka, List<String> jvm, List<String> tokenServiceJvm) throws Exception {
        String signingKey = ApiKeyFormat.generate(false);
        String tokensKey = ApiKeyFormat.generate(false);
        try {
            Map<String, String> keys = launcher.environment(work, adminApiKey);
            keys.put("KEYFLEET_SERVICE_KEYS", "signing-service:" + signingKey + ",token-service:" + tokensKey);
            keyService = start("key-service", launcher.jar(java.util.Optional.empty()), jvm, keys, work);

            Map<String, String> sandboxEnv = common(databases.get(SANDBOX_DATABASE), dbUser, dbPassword, kafka);
            sandbox = start("provider-sandbox", jar(projectRoot, "provider-sandbox"), jvm, sandboxEnv, work);

            Map<String, String> signing = common(databases.get(SignBenchmark.DATABASE), dbUser, dbPassword, kafka);
            signing.put("KEYFLEET_KEY_SERVICE_URL", keyService.baseUrl().toString());
            signing.put("KEYFLEET_SERVICE_API_KEY", signingKey);
            signingService = start("signing-service", jar(projectRoot, "signing-service"), jvm, signing, work);

            Map<String, String> tokens = common(databases.get(TOKEN_DATABASE), dbUser, dbPassword, kafka);
            tokens.put("KEYFLEET_KEY_SERVICE_URL", keyService.baseUrl().toString());
            tokens.put("KEYFLEET_SERVICE_API_KEY", tokensKey);
            tokens.put("KEYFLEET_TOKENS_KEY_FILE", work.resolve("token-encryption.key").toString());
            tokens.put("KEYFLEET_SIGNING_URL", signingService.baseUrl().toString());
            tokens.put("KEYFLEET_GATEWAY_URL", sandbox.baseUrl().toString());
            tokenService = start("token-service", jar(projectRoot, "token-service"), tokenServiceJvm, tokens, work);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    void awaitReady(Duration timeout, HttpClient http) {
        for (ServiceProcess service : all) {
            service.awaitReady(timeout, http);
        }
    }

    private ServiceProcess start(String name, Path jar, List<String> jvm, Map<String, String> environment, Path work) {
        ServiceProcess process = ServiceProcess.launch(name, jar, jvm, environment, work.resolve(name + ".log"));
        all.add(process);
        LocalStack.log("%s started (pid %d, %s)", name, process.pid(), process.baseUrl());
        return process;
    }

    /** CPU time of the four service processes so far. */
    long cpuNanos() {
        return all.stream().mapToLong(ServiceProcess::cpuNanos).sum();
    }

    private static Map<String, String> common(String dbUrl, String dbUser, String dbPassword, String kafka) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("KEYFLEET_DB_URL", dbUrl);
        environment.put("KEYFLEET_DB_USER", dbUser);
        environment.put("KEYFLEET_DB_PASSWORD", dbPassword);
        environment.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
        return environment;
    }

    private static Path jar(Path projectRoot, String module) {
        return projectRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar").toAbsolutePath().normalize();
    }

    @Override
    public void close() {
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).close();
        }
    }
}
