package io.keyfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each service's src/main/docker/Dockerfile.jvm: pinned base, fast-jar layers, non-root, a health check on its port. */
class ContainerImagesTest {

    static List<ServiceCatalog.Service> services() {
        return ServiceCatalog.ALL;
    }

    @ParameterizedTest
    @MethodSource("services")
    void dockerfileBuildsANonRootImageWithAHealthCheckOnTheServicePort(ServiceCatalog.Service service) {
        String dockerfile = Repo.read(service.module() + "/src/main/docker/Dockerfile.jvm");
        assertThat(DockerfileRules.check(dockerfile, service.httpPort())).isEmpty();
    }

    /** The rules, separate so the self-test can feed a broken Dockerfile. */
    static final class DockerfileRules {

        private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)");
        private static final Pattern USER = Pattern.compile("(?m)^USER\\s+(\\S+)");

        static List<String> check(String dockerfile, int port) {
            List<String> violations = new java.util.ArrayList<>();
            Matcher from = FROM.matcher(dockerfile);
            if (!from.find()) {
                violations.add("no FROM");
            } else {
                String base = from.group(1);
                if (!base.startsWith("registry.access.redhat.com/ubi9/openjdk-17-runtime:") || !ManifestRules.isPinned(base)) {
                    violations.add("base image " + base + " is not a pinned registry.access.redhat.com/ubi9/openjdk-17-runtime tag");
                }
            }
            Matcher user = USER.matcher(dockerfile);
            String last = null;
            while (user.find()) {
                last = user.group(1);
            }
            if (last == null || last.equals("root") || last.equals("0") || last.startsWith("0:")) {
                violations.add("the image does not end as a non-root USER (last USER: " + last + ")");
            }
            for (String layer : List.of("lib/", "*.jar", "app/", "quarkus/")) {
                if (!dockerfile.contains("COPY --chown=185 target/quarkus-app/" + layer)) {
                    violations.add("does not copy the fast-jar layer target/quarkus-app/" + layer);
                }
            }
            if (!dockerfile.matches("(?s).*\\nEXPOSE " + port + "\\b.*")) {
                violations.add("does not EXPOSE " + port);
            }
            Matcher health = Pattern.compile("(?s)\\nHEALTHCHECK\\s.*?CMD\\s+(.*?)\\n\\n").matcher(dockerfile);
            if (!health.find()) {
                violations.add("no HEALTHCHECK");
            } else if (!health.group(1).contains("/" + port + " ") || !health.group(1).contains("/q/health/ready")) {
                violations.add("HEALTHCHECK does not ask /q/health/ready on port " + port);
            }
            return violations;
        }
    }
}
