package io.keyfleet.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfleet.localstack.LocalPorts;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A second token-service process over the suite's database, sharing its token encryption key; logs to a file. */
record TokenServiceReplica(Process process, URI baseUrl) {

    static TokenServiceReplica start(Path root, RunningSuite suite, String serviceApiKey, Path log, Map<String, String> extraEnvironment)
            throws Exception {
        int port = LocalPorts.findFree();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", KeyfleetService.TOKEN_SERVICE.runnableJar(root).toString())
                .directory(root.resolve("token-service").toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> environment = builder.environment();
        environment.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        environment.put("KEYFLEET_DB_URL", suite.jdbcUrl(KeyfleetService.TOKEN_SERVICE));
        environment.put("KEYFLEET_DB_USER", suite.databaseUser());
        environment.put("KEYFLEET_DB_PASSWORD", suite.databasePassword());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", suite.kafkaBootstrapServers());
        environment.put("KEYFLEET_KEY_SERVICE_URL", suite.baseUrl(KeyfleetService.KEY_SERVICE).toString());
        environment.put("KEYFLEET_SIGNING_URL", suite.baseUrl(KeyfleetService.SIGNING_SERVICE).toString());
        environment.put("KEYFLEET_GATEWAY_URL", suite.baseUrl(KeyfleetService.PROVIDER_SANDBOX).toString());
        // the suite's service keys are its own business: the admin credential stands in for this replica's
        environment.put("KEYFLEET_SERVICE_API_KEY", serviceApiKey);
        // replicas must share the key their stored tokens are encrypted with: the one ./keyfleet up keeps for the suite
        environment.put("KEYFLEET_TOKENS_KEY_FILE", log.resolveSibling("secrets").resolve("token-encryption.key").toString());
        environment.putAll(extraEnvironment);
        return new TokenServiceReplica(builder.start(), URI.create("http://localhost:" + port));
    }

    void awaitReady(HttpClient http) {
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(java.io.IOException.class)
                .alias("the second token-service gets ready").until(() -> {
                    assertTrue(process.isAlive(), "the second token-service exited");
                    return http.send(HttpRequest.newBuilder(baseUrl.resolve("/q/health/ready")).timeout(Duration.ofSeconds(30)).GET().build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
    }
}
