package io.keyfleet.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules every rendered Deployment and its companions must keep. Each method returns the violations it found
 * (empty when all is well), so the tests can show them all at once and the self-tests can feed broken objects.
 */
final class ManifestRules {

    /** {@code name:tag} or {@code name@sha256:...}; a registry port ({@code host:5000/x}) is not a tag. */
    private static final Pattern PINNED = Pattern.compile("^[^@]+(?::(?<tag>[\\w][\\w.-]{0,127})|@sha256:[0-9a-f]{64})$");

    private ManifestRules() {
    }

    static boolean isPinned(String image) {
        if (image == null) {
            return false;
        }
        String lastSegment = image.substring(image.lastIndexOf('/') + 1);
        var matcher = PINNED.matcher(lastSegment);
        return matcher.matches() && !"latest".equals(matcher.group("tag"));
    }

    /** Probes, resources, security context, a writable /tmp and a pinned image for every container. */
    static List<String> containerRules(Deployment deployment) {
        List<String> violations = new ArrayList<>();
        String name = "Deployment " + deployment.getMetadata().getName();
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        PodSecurityContext podSecurity = pod.getSecurityContext();
        boolean podNonRoot = podSecurity != null && Boolean.TRUE.equals(podSecurity.getRunAsNonRoot());
        List<Container> containers = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            containers.addAll(pod.getInitContainers());
        }
        if (containers.isEmpty()) {
            violations.add(name + ": no containers");
        }
        for (Container container : containers) {
            String where = name + " container " + container.getName();
            probe(container.getLivenessProbe(), "/q/health/live", where + " livenessProbe", violations);
            probe(container.getReadinessProbe(), "/q/health/ready", where + " readinessProbe", violations);
            ResourceRequirements resources = container.getResources();
            for (String kind : List.of("requests", "limits")) {
                Map<String, Quantity> values = resources == null ? null
                        : kind.equals("requests") ? resources.getRequests() : resources.getLimits();
                for (String resource : List.of("cpu", "memory")) {
                    if (values == null || values.get(resource) == null) {
                        violations.add(where + ": no " + kind + "." + resource);
                    }
                }
            }
            SecurityContext security = container.getSecurityContext();
            if (security == null) {
                violations.add(where + ": no securityContext");
            } else {
                boolean nonRoot = security.getRunAsNonRoot() != null ? security.getRunAsNonRoot() : podNonRoot;
                if (!nonRoot) {
                    violations.add(where + ": runAsNonRoot is not true (container or pod)");
                }
                if (security.getRunAsUser() != null && security.getRunAsUser() == 0
                        || podSecurity != null && podSecurity.getRunAsUser() != null && podSecurity.getRunAsUser() == 0) {
                    violations.add(where + ": runs as user 0");
                }
                if (!Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())) {
                    violations.add(where + ": readOnlyRootFilesystem is not true");
                }
                if (!Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
                    violations.add(where + ": allowPrivilegeEscalation is not false");
                }
                if (security.getCapabilities() == null || security.getCapabilities().getDrop() == null
                        || !security.getCapabilities().getDrop().contains("ALL")) {
                    violations.add(where + ": capabilities do not drop ALL");
                }
                if (security.getCapabilities() != null && security.getCapabilities().getAdd() != null
                        && !security.getCapabilities().getAdd().isEmpty()) {
                    violations.add(where + ": adds capabilities " + security.getCapabilities().getAdd());
                }
                if (Boolean.TRUE.equals(security.getPrivileged())) {
                    violations.add(where + ": privileged");
                }
            }
            boolean tmp = container.getVolumeMounts() != null && container.getVolumeMounts().stream()
                    .anyMatch(mount -> mount.getMountPath().equals("/tmp") && pod.getVolumes() != null
                            && pod.getVolumes().stream().anyMatch(v -> v.getName().equals(mount.getName()) && v.getEmptyDir() != null));
            if (!tmp) {
                violations.add(where + ": no emptyDir mounted at /tmp (the root filesystem is read-only)");
            }
            if (!isPinned(container.getImage())) {
                violations.add(where + ": image '" + container.getImage() + "' is not pinned to a tag or digest (and not :latest)");
            }
        }
        return violations;
    }

    private static void probe(Probe probe, String path, String where, List<String> violations) {
        HTTPGetAction get = probe == null ? null : probe.getHttpGet();
        if (get == null) {
            violations.add(where + ": missing (needs an httpGet on " + path + ")");
        } else if (!path.equals(get.getPath())) {
            violations.add(where + ": path " + get.getPath() + ", expected " + path);
        }
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
            throw new IllegalArgumentException("matchExpressions are not evaluated by these checks");
        }
        Map<String, String> wanted = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        return wanted.entrySet().stream().allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
    }

    /** The companions every Deployment must have: ServiceAccount, Service, PDB, HPA and its own NetworkPolicy. */
    static List<String> companions(Rendered rendered, Deployment deployment) {
        List<String> violations = new ArrayList<>();
        String name = deployment.getMetadata().getName();
        Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        if (pod.getServiceAccountName() == null
                || rendered.find(io.fabric8.kubernetes.api.model.ServiceAccount.class, pod.getServiceAccountName()).isEmpty()) {
            violations.add(name + ": no ServiceAccount of its own (serviceAccountName " + pod.getServiceAccountName() + ")");
        }
        if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) {
            violations.add(name + ": automountServiceAccountToken is not false");
        }
        if (rendered.all(io.fabric8.kubernetes.api.model.Service.class).stream()
                .noneMatch(s -> s.getSpec().getSelector() != null && !s.getSpec().getSelector().isEmpty()
                        && labels.entrySet().containsAll(s.getSpec().getSelector().entrySet()))) {
            violations.add(name + ": no Service selects its pods");
        }
        if (rendered.all(PodDisruptionBudget.class).stream().noneMatch(p -> selects(p.getSpec().getSelector(), labels))) {
            violations.add(name + ": no PodDisruptionBudget selects its pods");
        }
        if (rendered.all(HorizontalPodAutoscaler.class).stream()
                .noneMatch(h -> "Deployment".equals(h.getSpec().getScaleTargetRef().getKind())
                        && name.equals(h.getSpec().getScaleTargetRef().getName()))) {
            violations.add(name + ": no HorizontalPodAutoscaler scales it");
        }
        List<NetworkPolicy> own = ownPolicies(rendered, deployment);
        if (own.isEmpty()) {
            violations.add(name + ": no NetworkPolicy of its own (one whose podSelector names it)");
        }
        for (NetworkPolicy policy : rendered.all(NetworkPolicy.class)) {
            if (!selects(policy.getSpec().getPodSelector(), labels) || policy.getSpec().getIngress() == null) {
                continue;
            }
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
                    violations.add(name + ": NetworkPolicy " + policy.getMetadata().getName() + " admits every source");
                }
                if (rule.getFrom() != null && rule.getFrom().stream().anyMatch(ManifestRules::isWildcardPeer)) {
                    violations.add(name + ": NetworkPolicy " + policy.getMetadata().getName() + " has a peer that matches everything");
                }
            }
        }
        return violations;
    }

    /** NetworkPolicies whose pod selector picks this Deployment's pods by its name label. */
    static List<NetworkPolicy> ownPolicies(Rendered rendered, Deployment deployment) {
        String name = deployment.getMetadata().getName();
        Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        return rendered.all(NetworkPolicy.class).stream()
                .filter(p -> selects(p.getSpec().getPodSelector(), labels))
                .filter(p -> name.equals(Optional.ofNullable(p.getSpec().getPodSelector().getMatchLabels())
                        .map(m -> m.get("app.kubernetes.io/name")).orElse(null)))
                .toList();
    }

    /** A peer of every pod of the namespace, of every namespace, or of the whole internet. */
    private static boolean isWildcardPeer(NetworkPolicyPeer peer) {
        boolean everyPod = peer.getPodSelector() != null && isEmpty(peer.getPodSelector()) && peer.getNamespaceSelector() == null;
        boolean everyNamespace = peer.getNamespaceSelector() != null && isEmpty(peer.getNamespaceSelector());
        boolean everyAddress = peer.getIpBlock() != null && List.of("0.0.0.0/0", "::/0").contains(peer.getIpBlock().getCidr());
        return everyPod || everyNamespace || everyAddress;
    }

    private static boolean isEmpty(LabelSelector selector) {
        return (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
    }

    /** In prod nothing may carry a secret value: no Secret with data or stringData. */
    static List<String> noLiteralSecrets(Rendered rendered) {
        List<String> violations = new ArrayList<>();
        for (Secret secret : rendered.all(Secret.class)) {
            boolean data = secret.getData() != null && !secret.getData().isEmpty();
            boolean stringData = secret.getStringData() != null && !secret.getStringData().isEmpty();
            if (data || stringData) {
                violations.add("Secret " + secret.getMetadata().getName() + " carries literal values " + (data
                        ? secret.getData().keySet() : secret.getStringData().keySet()));
            }
        }
        for (Deployment deployment : rendered.all(Deployment.class)) {
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                for (EnvVar env : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
                    boolean credentialInUrl = env.getValue() != null && env.getValue().toLowerCase(Locale.ROOT).contains("password=");
                    if (env.getValue() != null && looksSecret(env.getName()) || credentialInUrl) {
                        violations.add("Deployment " + deployment.getMetadata().getName() + " sets " + env.getName()
                                + " as a literal value; take it from a Secret");
                    }
                }
            }
        }
        return violations;
    }

    static boolean looksSecret(String envName) {
        return envName.matches(".*(PASSWORD|SECRET|TOKEN|KEY|KEYS|HMAC).*") && !envName.endsWith("_FILE")
                && !envName.endsWith("_PATH") && !envName.equals("KEYFLEET_SECRETS_BACKEND")
                && !envName.startsWith("KEYFLEET_SECRETS_VAULT_") && !envName.equals("KEYFLEET_KEY_SERVICE_URL")
                && !envName.equals("KEYFLEET_DB_URL");
    }

    /** Replicas of every Deployment and minReplicas of every HPA at least {@code minimum}. */
    static List<String> replicas(Rendered rendered, int minimum) {
        List<String> violations = new ArrayList<>();
        for (Deployment deployment : rendered.all(Deployment.class)) {
            Integer replicas = deployment.getSpec().getReplicas();
            if (replicas == null || replicas < minimum) {
                violations.add("Deployment " + deployment.getMetadata().getName() + " has " + replicas + " replicas, needs " + minimum + "+");
            }
        }
        for (HorizontalPodAutoscaler hpa : rendered.all(HorizontalPodAutoscaler.class)) {
            Integer min = hpa.getSpec().getMinReplicas();
            if (min == null || min < minimum) {
                violations.add("HorizontalPodAutoscaler " + hpa.getMetadata().getName() + " has minReplicas " + min + ", needs " + minimum + "+");
            }
        }
        return violations;
    }

    /** Kubernetes' default when a pod sets no terminationGracePeriodSeconds. */
    static final long DEFAULT_TERMINATION_GRACE_SECONDS = 30;
    /**
     * The stop steps service-kit and the services bound in code rather than configuration, for the service with the
     * most (token-service): a batch being applied when the consumers close ({@code ConsumerShutdown.IN_FLIGHT_WAIT},
     * 2 s), the outbox relay ({@code OutboxRelay.STOP_WAIT} + {@code INTERRUPT_WAIT}, 3 s) and the refresh scheduler
     * (refreshes under way, then the tick: 2 x {@code RefreshScheduler.STOP_WAIT}, 4 s).
     */
    static final Duration STOP_STEPS_IN_CODE = Duration.ofSeconds(9);

    /**
     * A service's stop, at most, must fit in the pod's terminationGracePeriodSeconds, or the kubelet kills it while
     * it still finishes requests or hands back its work: a preStop sleep, {@code quarkus.shutdown.delay}, in-flight
     * requests ({@code quarkus.shutdown.timeout}), {@link #STOP_STEPS_IN_CODE}, one Kafka consumer close
     * ({@code close-timeout}) and the worker threads ({@code quarkus.thread-pool.shutdown-timeout}).
     *
     * @param environment the container's variables (they override the properties, e.g. {@code QUARKUS_SHUTDOWN_TIMEOUT})
     * @param properties  the service's configuration: service-kit's defaults overlaid with its application.properties
     */
    static List<String> stopFitsGracePeriod(Deployment deployment, Map<String, String> environment, Map<String, String> properties) {
        List<String> violations = new ArrayList<>();
        String name = "Deployment " + deployment.getMetadata().getName();
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        long grace = pod.getTerminationGracePeriodSeconds() == null ? DEFAULT_TERMINATION_GRACE_SECONDS
                : pod.getTerminationGracePeriodSeconds();
        Map<String, Duration> steps = new LinkedHashMap<>();
        steps.put("preStop", preStop(pod.getContainers().get(0)));
        steps.put("quarkus.shutdown.delay", setting("quarkus.shutdown.delay", environment, properties).map(ManifestRules::duration)
                .orElse(Duration.ZERO));
        Optional<String> timeout = setting("quarkus.shutdown.timeout", environment, properties);
        if (timeout.isEmpty()) {
            violations.add(name + ": quarkus.shutdown.timeout is not set (Quarkus then waits for in-flight requests without limit)");
        }
        steps.put("quarkus.shutdown.timeout", timeout.map(ManifestRules::duration).orElse(Duration.ZERO));
        steps.put("stop steps bounded in code", STOP_STEPS_IN_CODE);
        steps.put("kafka consumer close-timeout", setting("mp.messaging.connector.smallrye-kafka.close-timeout", environment, properties)
                .map(ms -> Duration.ofMillis(Long.parseLong(ms))).orElse(Duration.ofSeconds(10)));
        steps.put("quarkus.thread-pool.shutdown-timeout", setting("quarkus.thread-pool.shutdown-timeout", environment, properties)
                .map(ManifestRules::duration).orElse(Duration.ofMinutes(1)));
        Duration total = steps.values().stream().reduce(Duration.ZERO, Duration::plus);
        if (total.getSeconds() >= grace) {
            violations.add(name + ": stopping may take up to " + total.getSeconds() + " s " + steps
                    + ", not less than terminationGracePeriodSeconds " + grace);
        }
        return violations;
    }

    /** The environment variable of a property (as Quarkus maps it), else the property itself, prod profile first. */
    private static Optional<String> setting(String property, Map<String, String> environment, Map<String, String> properties) {
        String env = ConfigNames.envName(property);
        if (environment.containsKey(env)) {
            return Optional.of(environment.get(env));
        }
        return Optional.ofNullable(properties.getOrDefault("%prod." + property, properties.get(property)));
    }

    /** A preStop hook's time: {@code sleep: {seconds: N}} or an exec of {@code sleep N}; zero without one. */
    private static Duration preStop(Container container) {
        if (container.getLifecycle() == null || container.getLifecycle().getPreStop() == null) {
            return Duration.ZERO;
        }
        var hook = container.getLifecycle().getPreStop();
        if (hook.getSleep() != null && hook.getSleep().getSeconds() != null) {
            return Duration.ofSeconds(hook.getSleep().getSeconds());
        }
        if (hook.getExec() != null && hook.getExec().getCommand() != null) {
            Matcher sleep = SLEEP.matcher(String.join(" ", hook.getExec().getCommand()));
            if (sleep.find()) {
                return Duration.ofSeconds(Long.parseLong(sleep.group(1)));
            }
        }
        throw new IllegalArgumentException(container.getName() + ": a preStop hook these checks cannot time: " + hook);
    }

    private static final Pattern SLEEP = Pattern.compile("(?:^|[\\s/;&])sleep\\s+(\\d+)\\b");

    /** A Quarkus duration: {@code 5s}, {@code 500ms}, {@code 1m}, {@code PT5S} or a number of seconds. */
    static Duration duration(String value) {
        String v = value.strip();
        if (v.startsWith("P")) {
            return Duration.parse(v);
        }
        if (v.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a duration: " + value);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** The variables a Deployment's first container gets: env entries and the keys of envFrom ConfigMaps. */
    static Map<String, String> environment(Rendered rendered, Deployment deployment) {
        Map<String, String> environment = new TreeMap<>();
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        for (EnvFromSource from : Optional.ofNullable(container.getEnvFrom()).orElse(List.of())) {
            if (from.getSecretRef() != null) {
                throw new AssertionError(deployment.getMetadata().getName() + ": envFrom a whole Secret hides which variables it sets");
            }
            ConfigMap config = rendered.find(ConfigMap.class,
                    from.getConfigMapRef().getName()).orElseThrow(
                    () -> new AssertionError(deployment.getMetadata().getName() + " refers to a missing ConfigMap"));
            environment.putAll(config.getData());
        }
        for (EnvVar env : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            environment.put(env.getName(), env.getValue() != null ? env.getValue() : "<from " + env.getValueFrom() + ">");
        }
        return environment;
    }

    static Optional<Volume> volume(PodSpec pod, String name) {
        return Optional.ofNullable(pod.getVolumes()).orElse(List.of()).stream().filter(v -> v.getName().equals(name)).findFirst();
    }
}
