package io.keyfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The egress checkers, fed a small compliant overlay and then broken ones: each rule must notice its breach. */
class EgressCheckersSelfTest {

    private static final String SERVICES = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: key-service
            spec:
              selector:
                matchLabels: {app.kubernetes.io/name: key-service}
              template:
                metadata:
                  labels: {app.kubernetes.io/name: key-service, app.kubernetes.io/part-of: keyfleet, keyfleet.io/kafka-client: "true"}
                spec:
                  containers:
                    - name: key-service
                      image: keyfleet/key-service:0.1.0
                      ports: [{name: https, containerPort: 8081}]
                      envFrom: [{configMapRef: {name: key-service-config}}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: key-service-config
            data:
              KAFKA_BOOTSTRAP_SERVERS: keyfleet-kafka-kafka-bootstrap:9093
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: key-service
            spec:
              selector: {app.kubernetes.io/name: key-service}
              ports: [{name: https, port: 8081, targetPort: https}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: sync-service
            spec:
              selector:
                matchLabels: {app.kubernetes.io/name: sync-service}
              template:
                metadata:
                  labels: {app.kubernetes.io/name: sync-service, app.kubernetes.io/part-of: keyfleet}
                spec:
                  containers:
                    - name: sync-service
                      image: keyfleet/sync-service:0.1.0
                      ports: [{name: https, containerPort: 8084}]
                      envFrom: [{configMapRef: {name: sync-service-config}}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: sync-service-config
            data:
              KEYFLEET_KEY_SERVICE_URL: https://key-service:8081
            ---
            """;

    private static final String SHARED_POLICIES = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: keyfleet-default-deny-egress
            spec:
              podSelector:
                matchLabels: {app.kubernetes.io/part-of: keyfleet}
              policyTypes: [Egress]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: keyfleet-egress-dns
            spec:
              podSelector:
                matchLabels: {app.kubernetes.io/part-of: keyfleet}
              policyTypes: [Egress]
              egress:
                - ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
                  to:
                    - namespaceSelector:
                        matchLabels: {kubernetes.io/metadata.name: kube-system}
                      podSelector:
                        matchLabels: {k8s-app: kube-dns}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: keyfleet-egress-postgres
            spec:
              podSelector:
                matchLabels: {app.kubernetes.io/part-of: keyfleet}
              policyTypes: [Egress]
              egress:
                - ports: [{port: 5432, protocol: TCP}]
                  to:
                    - podSelector:
                        matchLabels: {keyfleet.io/postgres: "true"}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: keyfleet-egress-kafka
            spec:
              podSelector:
                matchLabels: {keyfleet.io/kafka-client: "true"}
              policyTypes: [Egress]
              egress:
                - ports: [{port: 9093, protocol: TCP}]
                  to:
                    - podSelector:
                        matchLabels: {strimzi.io/cluster: keyfleet-kafka}
            ---
            """;

    private static final String SYNC_POLICY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: sync-service
            spec:
              podSelector:
                matchLabels: {app.kubernetes.io/name: sync-service}
              policyTypes: [Egress]
              egress:
                - ports: [{port: 8081, protocol: TCP}]
                  to:
                    - podSelector:
                        matchLabels: {app.kubernetes.io/name: key-service}
                - ports: [{port: 443, protocol: TCP}]
                  to:
                    - ipBlock:
                        cidr: 0.0.0.0/0
                        except: [0.0.0.0/8, 10.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16]
                    - ipBlock:
                        cidr: "::/0"
                        except: ["fc00::/7", "fe80::/10"]
            """;

    private static Rendered render(String yaml) {
        return Rendered.of("self-test", yaml);
    }

    private static final Rendered GOOD = render(SERVICES + SHARED_POLICIES + SYNC_POLICY);

    @Test
    void aCompliantOverlayPasses() {
        assertThat(EgressRules.defaultDeny(GOOD)).isEmpty();
        assertThat(EgressRules.leavingTheCluster(GOOD)).isEmpty();
        assertThat(EgressRules.dns(GOOD)).isEmpty();
        assertThat(EgressRules.reachability(GOOD)).isEmpty();
        assertThat(EgressRules.leaving(GOOD)).containsExactly("sync-service");
    }

    @Test
    void aPodNoEgressPolicySelectsAndOpenRulesAreReported() {
        Rendered open = render(SERVICES.replace("labels: {app.kubernetes.io/name: sync-service, app.kubernetes.io/part-of: keyfleet}",
                "labels: {app.kubernetes.io/name: sync-service}") + SHARED_POLICIES + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: key-service
                spec:
                  podSelector:
                    matchLabels: {app.kubernetes.io/name: key-service}
                  policyTypes: [Egress]
                  egress:
                    - to:
                        - podSelector: {}
                    - ports: [{port: 8082, protocol: TCP}]
                """);
        assertThat(String.join("\n", EgressRules.defaultDeny(open))).contains(
                "sync-service: no NetworkPolicy of type Egress selects its pods",
                "NetworkPolicy key-service: an egress rule without ports",
                "NetworkPolicy key-service: an egress peer that matches every pod or namespace",
                "NetworkPolicy key-service: an egress rule without peers");
    }

    @Test
    void anotherServiceLeavingTheClusterAnotherPortAndUnexceptedRangesAreReported() {
        Rendered leaky = render(SERVICES + SHARED_POLICIES + SYNC_POLICY
                .replace("port: 443", "port: 80")
                .replace("except: [0.0.0.0/8, 10.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16]",
                        "except: [10.0.0.0/8]")
                .replace("except: [\"fc00::/7\", \"fe80::/10\"]", "except: []")
                .replace("matchLabels: {app.kubernetes.io/name: sync-service}", "matchLabels: {app.kubernetes.io/part-of: keyfleet}"));
        assertThat(String.join("\n", EgressRules.leavingTheCluster(leaky))).contains(
                "key-service: may leave the cluster (NetworkPolicy sync-service)",
                "NetworkPolicy sync-service: leaves the cluster on [TCP/80], only TCP/443 is allowed",
                "ipBlock 0.0.0.0/0 does not except the internal ranges [0.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16",
                "ipBlock ::/0 does not except the internal ranges [fc00::/7, fe80::/10]");
        assertThat(EgressRules.leavingTheCluster(leaky)).noneMatch(v -> v.startsWith("sync-service:"));
    }

    @Test
    void dnsElsewhereOrNoDnsIsReported() {
        Rendered noDns = render(SERVICES + SHARED_POLICIES.replace("{port: 53, protocol: UDP}, ", "")
                .replace("matchLabels: {k8s-app: kube-dns}", "matchLabels: {app: resolver}") + SYNC_POLICY);
        assertThat(String.join("\n", EgressRules.dns(noDns))).contains(
                "key-service: cannot reach kube-dns on UDP/53", "sync-service: cannot reach kube-dns on TCP/53",
                "NetworkPolicy keyfleet-egress-dns: port 53 to something else than kube-dns");
    }

    @Test
    void whatAServiceIsConfiguredToCallButMayNotReachIsReported() {
        Rendered cutOff = render(SERVICES.replace(", keyfleet.io/kafka-client: \"true\"", "") + SHARED_POLICIES
                + SYNC_POLICY.replace("port: 8081", "port: 8080"));
        String violations = String.join("\n", EgressRules.reachability(cutOff));
        assertThat(violations).contains(
                "key-service: KAFKA_BOOTSTRAP_SERVERS names keyfleet-kafka-kafka-bootstrap:9093 (Kafka cluster keyfleet-kafka, TCP/9093), "
                        + "which no egress rule admits",
                "sync-service: KEYFLEET_KEY_SERVICE_URL names key-service:8081 (the pods of key-service, TCP/8081), which no egress rule admits");
        Rendered noGateway = render(SERVICES.replace("KEYFLEET_KEY_SERVICE_URL: https://key-service:8081",
                "KEYFLEET_KEY_SERVICE_URL: https://key-service:8081\n  KEYFLEET_GATEWAY_URL: https://openapi.example.com")
                + SHARED_POLICIES + SYNC_POLICY.replace("port: 443", "port: 8443"));
        assertThat(String.join("\n", EgressRules.reachability(noGateway))).contains(
                "sync-service: KEYFLEET_GATEWAY_URL names openapi.example.com:443 outside the cluster, and no rule lets it out");
        assertThat(EgressRules.reachability(render(SERVICES.replace("https://key-service:8081", "https://vault.vault.svc:8200")
                + SHARED_POLICIES + SYNC_POLICY))).singleElement().asString().contains("names vault.vault.svc:8200 (namespace vault");
    }
}
