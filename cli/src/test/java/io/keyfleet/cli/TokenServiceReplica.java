package io.keyfleet.cli;

import io.keyfleet.launcher.KeyfleetService;
import io.keyfleet.launcher.ServiceEnvironment;
import io.keyfleet.launcher.ServiceProcess;
import io.keyfleet.localstack.LocalPorts;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A second token-service process over the suite's database, with the environment the suite gives its own (the same
 * token encryption key among it) on a port of its own; logs to a file.
 */
record TokenServiceReplica(ServiceProcess process) {

    static TokenServiceReplica start(Path root, RunningSuite suite, String serviceApiKey, Path log, Map<String, String> extraEnvironment) {
        ServiceEnvironment environment = suite.environment(KeyfleetService.TOKEN_SERVICE, LocalPorts.findFree())
                // the suite's service keys are its own business: the admin credential stands in for this replica's
                .serviceApiKey(serviceApiKey);
        extraEnvironment.forEach(environment::set);
        return new TokenServiceReplica(ServiceProcess.launch(KeyfleetService.TOKEN_SERVICE.runnableJar(root), environment,
                List.of("-Xmx256m"), root.resolve(KeyfleetService.TOKEN_SERVICE.moduleName()), log));
    }

    URI baseUrl() {
        return process.baseUrl();
    }

    void awaitReady() {
        process.awaitReady(Duration.ofSeconds(240));
    }
}
