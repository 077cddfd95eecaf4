package io.keyfleet.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Egress in a rendered overlay: every Keyfleet pod under a default deny, every egress rule with ports and named peers,
 * port 53 to kube-dns only, only sync-service and token-service out of the cluster (TCP 443, public addresses only),
 * and every address a Deployment's configuration names reachable by its policies. Each method returns violations.
 */
final class EgressRules {

    /** The services that call addresses outside the cluster: upstream pool APIs, the provider gateway. */
    static final Set<String> LEAVE_THE_CLUSTER = Set.of("sync-service", "token-service");
    /** What an ipBlock of every IPv4 / IPv6 address must except: the cluster's and the node's own networks. */
    static final Set<String> INTERNAL_IPV4 = Set.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
            "172.16.0.0/12", "192.168.0.0/16");
    static final Set<String> INTERNAL_IPV6 = Set.of("fc00::/7", "fe80::/10");
    static final int HTTPS = 443;
    static final int DNS = 53;
    private static final String NAMESPACE_NAME = "kubernetes.io/metadata.name";
    private static final Pattern URL = Pattern.compile("^(https?)://([A-Za-z0-9.-]+)(?::(\\d+))?(?:/.*)?$");
    private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.-]+):(\\d+)");

    private EgressRules() {
    }

    /** Who is reached: pods with these labels, in the policy's namespace or (namespace not null) in that namespace. */
    record Destination(String namespace, Map<String, String> podLabels, String description) {
    }

    /** Every Deployment's pods under a policy of type Egress; every egress rule with ports and without wildcard peers. */
    static List<String> defaultDeny(Rendered rendered) {
        List<String> violations = new ArrayList<>();
        for (Deployment deployment : rendered.all(Deployment.class)) {
            boolean governed = policiesSelecting(rendered, podLabels(deployment)).stream()
                    .anyMatch(p -> p.getSpec().getPolicyTypes() != null && p.getSpec().getPolicyTypes().contains("Egress"));
            if (!governed) {
                violations.add(deployment.getMetadata().getName() + ": no NetworkPolicy of type Egress selects its pods (egress is open)");
            }
        }
        for (NetworkPolicy policy : rendered.all(NetworkPolicy.class)) {
            for (NetworkPolicyEgressRule rule : rules(policy)) {
                String where = "NetworkPolicy " + policy.getMetadata().getName();
                if (rule.getPorts() == null || rule.getPorts().isEmpty()) {
                    violations.add(where + ": an egress rule without ports (every port)");
                }
                if (rule.getTo() == null || rule.getTo().isEmpty()) {
                    violations.add(where + ": an egress rule without peers (every destination)");
                } else {
                    rule.getTo().stream().filter(EgressRules::isWildcard)
                            .forEach(peer -> violations.add(where + ": an egress peer that matches every pod or namespace"));
                }
            }
        }
        return violations;
    }

    /** ipBlock peers only for {@link #LEAVE_THE_CLUSTER}, only on TCP 443, with the internal ranges excepted. */
    static List<String> leavingTheCluster(Rendered rendered) {
        List<String> violations = new ArrayList<>();
        for (NetworkPolicy policy : rendered.all(NetworkPolicy.class)) {
            String where = "NetworkPolicy " + policy.getMetadata().getName();
            for (NetworkPolicyEgressRule rule : rules(policy)) {
                List<NetworkPolicyPeer> blocks = rule.getTo() == null ? List.of() : rule.getTo().stream().filter(p -> p.getIpBlock() != null).toList();
                if (blocks.isEmpty()) {
                    continue;
                }
                for (Deployment deployment : rendered.all(Deployment.class)) {
                    String name = deployment.getMetadata().getName();
                    if (ManifestRules.selects(policy.getSpec().getPodSelector(), podLabels(deployment)) && !LEAVE_THE_CLUSTER.contains(name)) {
                        violations.add(name + ": may leave the cluster (" + where + "); only " + new TreeSet<>(LEAVE_THE_CLUSTER) + " may");
                    }
                }
                List<String> ports = rule.getPorts() == null ? List.of() : rule.getPorts().stream().map(EgressRules::text).toList();
                if (!ports.equals(List.of("TCP/" + HTTPS))) {
                    violations.add(where + ": leaves the cluster on " + ports + ", only TCP/" + HTTPS + " is allowed");
                }
                for (NetworkPolicyPeer block : blocks) {
                    String cidr = block.getIpBlock().getCidr();
                    Set<String> except = new TreeSet<>(Optional.ofNullable(block.getIpBlock().getExcept()).orElse(List.of()));
                    Set<String> required = cidr.contains(":") ? INTERNAL_IPV6 : INTERNAL_IPV4;
                    Set<String> missing = new TreeSet<>(required);
                    missing.removeAll(except);
                    if (!missing.isEmpty()) {
                        violations.add(where + ": ipBlock " + cidr + " does not except the internal ranges " + missing);
                    }
                }
            }
        }
        return violations;
    }

    /** The Deployments that some egress rule lets out of the cluster (an ipBlock peer). */
    static Set<String> leaving(Rendered rendered) {
        Set<String> leaving = new TreeSet<>();
        for (Deployment deployment : rendered.all(Deployment.class)) {
            if (rulesFor(rendered, deployment).stream().anyMatch(rule -> rule.getTo() != null
                    && rule.getTo().stream().anyMatch(peer -> peer.getIpBlock() != null))) {
                leaving.add(deployment.getMetadata().getName());
            }
        }
        return leaving;
    }

    /** Every Deployment may ask kube-dns on UDP and TCP 53; port 53 goes nowhere else. */
    static List<String> dns(Rendered rendered) {
        List<String> violations = new ArrayList<>();
        Destination kubeDns = new Destination("kube-system", Map.of("k8s-app", "kube-dns"), "kube-dns");
        for (Deployment deployment : rendered.all(Deployment.class)) {
            for (String protocol : List.of("UDP", "TCP")) {
                if (!reaches(rendered, deployment, kubeDns, DNS, protocol)) {
                    violations.add(deployment.getMetadata().getName() + ": cannot reach kube-dns on " + protocol + "/" + DNS);
                }
            }
        }
        for (NetworkPolicy policy : rendered.all(NetworkPolicy.class)) {
            for (NetworkPolicyEgressRule rule : rules(policy)) {
                boolean dnsPort = rule.getPorts() != null && rule.getPorts().stream().anyMatch(p -> port(p) == DNS);
                boolean elsewhere = rule.getTo() == null || rule.getTo().stream().anyMatch(peer -> !matches(peer, kubeDns));
                if (dnsPort && elsewhere) {
                    violations.add("NetworkPolicy " + policy.getMetadata().getName() + ": port " + DNS + " to something else than kube-dns");
                }
            }
        }
        return violations;
    }

    /**
     * What each Deployment's configuration names is reachable by its egress policies: the host of every http(s) URL
     * in its environment, each of KAFKA_BOOTSTRAP_SERVERS and its PostgreSQL host (from its {@code *-db} Secret where the
     * overlay has it; else some rule must admit TCP 5432).
     */
    static List<String> reachability(Rendered rendered) {
        List<String> violations = new ArrayList<>();
        for (Deployment deployment : rendered.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            Map<String, String> environment = ManifestRules.environment(rendered, deployment);
            List<String[]> targets = new ArrayList<>();
            environment.forEach((variable, value) -> {
                Matcher url = URL.matcher(value);
                if (url.matches()) {
                    int port = url.group(3) != null ? Integer.parseInt(url.group(3)) : url.group(1).equals("https") ? HTTPS : 80;
                    targets.add(new String[] {variable, url.group(2), Integer.toString(port)});
                }
            });
            Optional.ofNullable(environment.get("KAFKA_BOOTSTRAP_SERVERS")).ifPresent(servers -> {
                for (String server : servers.split(",")) {
                    Matcher hostPort = HOST_PORT.matcher(server.trim());
                    if (hostPort.matches()) {
                        targets.add(new String[] {"KAFKA_BOOTSTRAP_SERVERS", hostPort.group(1), hostPort.group(2)});
                    }
                }
            });
            Optional<String> database = databaseHost(rendered, deployment);
            database.map(HOST_PORT::matcher).filter(Matcher::matches)
                    .ifPresent(m -> targets.add(new String[] {"the PostgreSQL host", m.group(1), m.group(2)}));
            if (database.isEmpty() && !reachesPort(rendered, deployment, 5432)) {
                violations.add(name + ": no egress rule admits PostgreSQL (TCP/5432)");
            }
            for (String[] target : targets) {
                int port = Integer.parseInt(target[2]);
                Optional<Destination> destination = destination(rendered, target[1], port);
                if (destination.isEmpty()) {
                    if (!reachesOutside(rendered, deployment, port)) {
                        violations.add(name + ": " + target[0] + " names " + target[1] + ":" + port + " outside the cluster, and no rule lets it out");
                    }
                    continue;
                }
                int podPort = servicePodPort(rendered, target[1]).orElse(port);
                if (!reaches(rendered, deployment, destination.get(), podPort, "TCP")) {
                    violations.add(name + ": " + target[0] + " names " + target[1] + ":" + port + " (" + destination.get().description()
                            + ", TCP/" + podPort + "), which no egress rule admits");
                }
            }
        }
        return violations;
    }

    /**
     * The pods behind a host of the cluster: a Service of the overlay (its Deployment's pods), a Strimzi bootstrap
     * ({@code <cluster>-kafka-bootstrap}), a CloudNativePG primary ({@code <cluster>-rw}), or any pods of namespace
     * {@code ns} for {@code <service>.<ns>.svc}. Empty for a host outside the cluster.
     */
    static Optional<Destination> destination(Rendered rendered, String host, int port) {
        String namespace = null;
        String service = host;
        Matcher svc = Pattern.compile("^([a-z0-9-]+)\\.([a-z0-9-]+)\\.svc(?:\\.cluster\\.local)?$").matcher(host);
        if (svc.matches()) {
            service = svc.group(1);
            namespace = svc.group(2);
        } else if (host.contains(".")) {
            return Optional.empty();
        }
        if (service.endsWith("-kafka-bootstrap")) {
            String cluster = service.substring(0, service.length() - "-kafka-bootstrap".length());
            return Optional.of(new Destination(namespace, Map.of("strimzi.io/cluster", cluster), "Kafka cluster " + cluster));
        }
        if (namespace != null) {
            return Optional.of(new Destination(namespace, null, "namespace " + namespace));
        }
        Optional<Deployment> behind = deploymentBehind(rendered, service);
        if (behind.isPresent()) {
            return Optional.of(new Destination(null, podLabels(behind.get()), "the pods of " + behind.get().getMetadata().getName()));
        }
        if (service.endsWith("-rw")) {
            String cluster = service.substring(0, service.length() - 3);
            Optional<GenericKubernetesResource> postgres = rendered.custom("postgresql.cnpg.io/v1", "Cluster").stream()
                    .filter(c -> c.getMetadata().getName().equals(cluster)).findFirst();
            if (postgres.isPresent()) {
                Map<String, String> labels = new HashMap<>();
                labels.put("cnpg.io/cluster", cluster);
                Rendered.tree(postgres.get()).at("/spec/inheritedMetadata/labels").fields()
                        .forEachRemaining(label -> labels.put(label.getKey(), label.getValue().asText()));
                return Optional.of(new Destination(null, labels, "PostgreSQL cluster " + cluster));
            }
        }
        return Optional.of(new Destination(null, Map.of("<unknown>", service), "a Service the overlay does not define"));
    }

    private static Optional<Deployment> deploymentBehind(Rendered rendered, String serviceName) {
        return rendered.find(Service.class, serviceName).flatMap(service -> rendered.all(Deployment.class).stream()
                .filter(d -> service.getSpec().getSelector() != null && !service.getSpec().getSelector().isEmpty()
                        && podLabels(d).entrySet().containsAll(service.getSpec().getSelector().entrySet()))
                .findFirst());
    }

    /** The container port a Service of the overlay forwards to (NetworkPolicy ports are the pods' ports). */
    private static Optional<Integer> servicePodPort(Rendered rendered, String serviceName) {
        return rendered.find(Service.class, serviceName).flatMap(service -> deploymentBehind(rendered, serviceName).map(d -> {
            var servicePort = service.getSpec().getPorts().get(0);
            if (servicePort.getTargetPort() == null) {
                return servicePort.getPort();
            }
            if (servicePort.getTargetPort().getIntVal() != null) {
                return servicePort.getTargetPort().getIntVal();
            }
            Container container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            return container.getPorts().stream().filter(p -> servicePort.getTargetPort().getStrVal().equals(p.getName()))
                    .map(p -> p.getContainerPort()).findFirst().orElse(servicePort.getPort());
        }));
    }

    /** host:port of PostgreSQL from the Deployment's KEYFLEET_DB_HOST Secret, when the overlay carries that Secret. */
    private static Optional<String> databaseHost(Rendered rendered, Deployment deployment) {
        for (EnvVar env : Optional.ofNullable(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).orElse(List.of())) {
            if (env.getName().equals("KEYFLEET_DB_HOST") && env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                var ref = env.getValueFrom().getSecretKeyRef();
                return rendered.find(Secret.class, ref.getName()).map(Secret::getData).map(data -> data.get(ref.getKey()))
                        .map(value -> new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static boolean reaches(Rendered rendered, Deployment deployment, Destination destination, int port, String protocol) {
        return rulesFor(rendered, deployment).stream().anyMatch(rule -> admitsPort(rule, port, protocol)
                && rule.getTo() != null && rule.getTo().stream().anyMatch(peer -> matches(peer, destination)));
    }

    private static boolean reachesPort(Rendered rendered, Deployment deployment, int port) {
        return rulesFor(rendered, deployment).stream().anyMatch(rule -> admitsPort(rule, port, "TCP") && rule.getTo() != null
                && !rule.getTo().isEmpty());
    }

    private static boolean reachesOutside(Rendered rendered, Deployment deployment, int port) {
        return rulesFor(rendered, deployment).stream().anyMatch(rule -> admitsPort(rule, port, "TCP") && rule.getTo() != null
                && rule.getTo().stream().anyMatch(peer -> peer.getIpBlock() != null && List.of("0.0.0.0/0", "::/0").contains(peer.getIpBlock().getCidr())));
    }

    private static boolean matches(NetworkPolicyPeer peer, Destination destination) {
        if (peer.getIpBlock() != null) {
            return false;
        }
        if (destination.namespace() == null) {
            return peer.getNamespaceSelector() == null && peer.getPodSelector() != null
                    && ManifestRules.selects(peer.getPodSelector(), destination.podLabels());
        }
        return peer.getNamespaceSelector() != null
                && ManifestRules.selects(peer.getNamespaceSelector(), Map.of(NAMESPACE_NAME, destination.namespace()))
                && (destination.podLabels() == null || peer.getPodSelector() == null
                || ManifestRules.selects(peer.getPodSelector(), destination.podLabels()));
    }

    private static boolean admitsPort(NetworkPolicyEgressRule rule, int port, String protocol) {
        return rule.getPorts() != null && rule.getPorts().stream()
                .anyMatch(p -> port(p) == port && protocol.equals(p.getProtocol() == null ? "TCP" : p.getProtocol()));
    }

    private static int port(NetworkPolicyPort port) {
        return port.getPort() == null || port.getPort().getIntVal() == null ? -1 : port.getPort().getIntVal();
    }

    private static String text(NetworkPolicyPort port) {
        return (port.getProtocol() == null ? "TCP" : port.getProtocol()) + "/" + (port.getPort() == null ? "*" : port.getPort().getIntVal())
                + (port.getEndPort() == null ? "" : "-" + port.getEndPort());
    }

    /** A peer of every pod of the namespace, or of every namespace. */
    private static boolean isWildcard(NetworkPolicyPeer peer) {
        boolean everyPod = peer.getIpBlock() == null && peer.getNamespaceSelector() == null
                && (peer.getPodSelector() == null || isEmpty(peer.getPodSelector()));
        boolean everyNamespace = peer.getNamespaceSelector() != null && isEmpty(peer.getNamespaceSelector());
        return everyPod || everyNamespace;
    }

    private static boolean isEmpty(LabelSelector selector) {
        return (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
    }

    private static List<NetworkPolicyEgressRule> rulesFor(Rendered rendered, Deployment deployment) {
        return policiesSelecting(rendered, podLabels(deployment)).stream().flatMap(p -> rules(p).stream()).toList();
    }

    private static List<NetworkPolicy> policiesSelecting(Rendered rendered, Map<String, String> labels) {
        return rendered.all(NetworkPolicy.class).stream().filter(p -> ManifestRules.selects(p.getSpec().getPodSelector(), labels)).toList();
    }

    private static List<NetworkPolicyEgressRule> rules(NetworkPolicy policy) {
        return policy.getSpec().getEgress() == null ? List.of() : policy.getSpec().getEgress();
    }

    private static Map<String, String> podLabels(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getLabels();
    }
}
