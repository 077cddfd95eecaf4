package io.keyfleet.bench.tokens;

import io.keyfleet.auth.ApiKeyFormat;
import io.keyfleet.bench.support.BenchServices;
import io.keyfleet.bench.support.LocalStack;
import io.keyfleet.launcher.KeyfleetService;
import io.keyfleet.launcher.LocalSecrets;
import io.keyfleet.launcher.ServiceEnvironment;
import io.keyfleet.launcher.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The four real services a merchant token goes through, each {@code <module>/target/quarkus-app/quarkus-run.jar} in its
 * own JVM on loopback with the environment {@code ./keyfleet up} gives it (suite-launcher's ServiceEnvironment):
 * key-service (app key, the sandbox's platform key, credentials), signing-service (signs token-service's gateway calls
 * and checks the answers), the provider sandbox (the Alipay-style gateway) and token-service (exchange, scheduler,
 * GET …/token).
 */
final class TokenFleet implements AutoCloseable {

    final String adminApiKey = ApiKeyFormat.generate(false);
    final ServiceProcess keyService;
    final ServiceProcess signingService;
    final ServiceProcess sandbox;
    final ServiceProcess tokenService;
    private final List<ServiceProcess> all = new ArrayList<>();

    /** @param tokenServiceJvm token-service's JVM options, including its -Dkeyfleet.tokens.* settings for the run */
    TokenFleet(BenchServices services, Path work, List<String> jvm, List<String> tokenServiceJvm) {
        try {
            LocalSecrets.Values secrets = services.secrets(work);
            keyService = start(services, services.keyService(work, adminApiKey), jvm, work);
            sandbox = start(services, services.environment(KeyfleetService.PROVIDER_SANDBOX), jvm, work);
            signingService = start(services, services.environment(KeyfleetService.SIGNING_SERVICE).secrets(secrets)
                    .peer(KeyfleetService.KEY_SERVICE, keyService.baseUrl()), jvm, work);
            tokenService = start(services, services.environment(KeyfleetService.TOKEN_SERVICE).secrets(secrets)
                    .peer(KeyfleetService.KEY_SERVICE, keyService.baseUrl())
                    .peer(KeyfleetService.SIGNING_SERVICE, signingService.baseUrl())
                    .peer(KeyfleetService.PROVIDER_SANDBOX, sandbox.baseUrl()), tokenServiceJvm, work);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    void awaitReady(Duration timeout) {
        for (ServiceProcess service : all) {
            service.awaitReady(timeout);
        }
    }

    private ServiceProcess start(BenchServices services, ServiceEnvironment environment, List<String> jvm, Path work) {
        KeyfleetService service = environment.service();
        ServiceProcess process = services.launch(services.jar(service, Optional.empty()), environment, jvm, work,
                service.moduleName() + ".log");
        all.add(process);
        LocalStack.log("%s started (pid %d, %s)", service, process.pid(), process.baseUrl());
        return process;
    }

    /** CPU time of the four service processes so far. */
    long cpuNanos() {
        return all.stream().mapToLong(ServiceProcess::cpuNanos).sum();
    }

    @Override
    public void close() {
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).close();
        }
    }
}
