package io.keyfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The authentication and TLS checkers (TlsRules, KafkaAcls), fed deliberately broken manifests. */
class TlsCheckersSelfTest {

    private static final String GOOD = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: signing-service-config
              namespace: ns
            data:
              QUARKUS_HTTP_SSL_PORT: "8082"
              QUARKUS_HTTP_INSECURE_REQUESTS: disabled
              QUARKUS_TLS_KEY_STORE_PEM__0__CERT: /etc/keyfleet/tls/tls.crt
              QUARKUS_TLS_KEY_STORE_PEM__0__KEY: /etc/keyfleet/tls/tls.key
              KAFKA_BOOTSTRAP_SERVERS: keyfleet-kafka-kafka-bootstrap:9093
              KAFKA_SECURITY_PROTOCOL: SASL_SSL
              KAFKA_SASL_MECHANISM: SCRAM-SHA-512
              KAFKA_SSL_TRUSTSTORE_LOCATION: /etc/keyfleet/kafka-ca/ca.crt
              KEYFLEET_KEY_SERVICE_URL: https://key-service:8081
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: signing-service
              namespace: ns
            spec:
              selector:
                matchLabels: {app.kubernetes.io/name: signing-service}
              template:
                metadata:
                  labels: {app.kubernetes.io/name: signing-service}
                spec:
                  containers:
                    - name: signing-service
                      image: keyfleet/signing-service:0.1.0
                      command: ["bash", "/opt/keyfleet/bin/with-internal-ca.sh"]
                      envFrom:
                        - configMapRef: {name: signing-service-config}
                      env:
                        - name: KAFKA_SASL_JAAS_CONFIG
                          valueFrom:
                            secretKeyRef: {name: signing-service, key: sasl.jaas.config}
                        - name: KEYFLEET_DB_URL
                          value: jdbc:postgresql://$(KEYFLEET_DB_HOST)/signing_service?sslmode=verify-full&sslrootcert=/etc/keyfleet/postgres-ca/ca.crt
                      readinessProbe:
                        httpGet: {path: /q/health/ready, port: https, scheme: HTTPS}
                      volumeMounts:
                        - {name: tls, mountPath: /etc/keyfleet/tls}
                        - {name: kafka-ca, mountPath: /etc/keyfleet/kafka-ca}
                        - {name: postgres-ca, mountPath: /etc/keyfleet/postgres-ca}
                  volumes:
                    - name: tls
                      secret: {secretName: signing-service-tls}
                    - name: kafka-ca
                      secret: {secretName: keyfleet-kafka-cluster-ca-cert}
                    - name: postgres-ca
                      secret: {secretName: keyfleet-pg-ca}
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: signing-service
              namespace: ns
            spec:
              secretName: signing-service-tls
              dnsNames: [signing-service, signing-service.ns.svc]
              issuerRef: {name: ca, kind: Issuer}
            ---
            apiVersion: kafka.strimzi.io/v1beta2
            kind: Kafka
            metadata:
              name: keyfleet-kafka
            spec:
              kafka:
                listeners:
                  - name: tls
                    port: 9093
                    type: internal
                    tls: true
                    authentication: {type: scram-sha-512}
                    networkPolicyPeers:
                      - podSelector: {matchLabels: {app.kubernetes.io/part-of: keyfleet}}
                authorization: {type: simple}
              entityOperator:
                userOperator: {}
            """;

    private static String user(String name, String acls) {
        return """
                ---
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaUser
                metadata:
                  name: %s
                  labels: {strimzi.io/cluster: keyfleet-kafka}
                spec:
                  authentication: {type: scram-sha-512}
                  authorization:
                    type: simple
                    acls:
                %s""".formatted(name, acls);
    }

    private static final String KEY_SERVICE_ACLS = """
                  - resource: {type: topic, name: keyfleet.keys.v1, patternType: literal}
                    operations: [Write]
                  - resource: {type: topic, name: keyfleet.credentials.v1}
                    operations: [Write, Read]
                  - resource: {type: group, name: key-service, patternType: prefix}
                    operation: Read
            """;

    @Test
    void aclsAreDerivedFromTopics() {
        assertThat(KafkaAcls.expected("signing-service")).containsExactlyInAnyOrder("topic:literal:keyfleet.keys.v1:Read",
                "topic:literal:keyfleet.credentials.v1:Read", "group:prefix:signing-service:Read");
        assertThat(KafkaAcls.expected("key-service")).contains("topic:literal:keyfleet.keys.v1:Write")
                .doesNotContain("topic:literal:keyfleet.keys.v1:Read");
    }

    @Test
    void kafkaUsersMustCarryExactlyTheAclsOfTopics() {
        Rendered good = Rendered.of("good", user("key-service", KEY_SERVICE_ACLS));
        assertThat(TlsRules.kafkaUsers(good)).containsExactlyInAnyOrder("KafkaUser signing-service: 0 found, expected 1",
                "KafkaUser token-service: 0 found, expected 1", "KafkaUser sync-service: 0 found, expected 1");
        String broken = KEY_SERVICE_ACLS.replace("name: keyfleet.keys.v1", "name: keyfleet.tokens.v1") + """
                  - resource: {type: topic, name: "*"}
                    operations: [Read]
                  - resource: {type: cluster}
                    operations: [Alter]
            """;
        Rendered bad = Rendered.of("bad", user("key-service", broken).replace("scram-sha-512", "tls") + user("bench", ""));
        assertThat(String.join("\n", TlsRules.kafkaUsers(bad))).contains(
                "KafkaUser key-service: authentication is not scram-sha-512",
                "ACL topic:literal:keyfleet.tokens.v1:Write is not in Topics.java",
                "lacks ACL topic:literal:keyfleet.keys.v1:Write",
                "wildcard ACL topic:literal:*:Read",
                "ACL cluster:literal:kafka-cluster:Alter is not in Topics.java",
                "KafkaUser bench is no service of Topics.SERVICES");
    }

    @Test
    void aCompliantServicePassesTheKafkaHttpsAndPostgresRules() {
        Rendered good = Rendered.of("good", GOOD);
        assertThat(TlsRules.kafkaClients(good)).isEmpty();
        assertThat(TlsRules.https(good)).isEmpty();
        assertThat(TlsRules.noPlainHttp(good)).isEmpty();
        assertThat(TlsRules.postgresVerifyFull(good)).isEmpty();
        assertThat(TlsRules.kafkaCluster(good.custom(TlsRules.STRIMZI, "Kafka").get(0))).isEmpty();
    }

    @Test
    void plaintextKafkaAndAForeignOrMissingUserAreReported() {
        Rendered bad = Rendered.of("bad", GOOD.replace("bootstrap:9093", "bootstrap:9092").replace("SASL_SSL", "PLAINTEXT")
                .replace("{name: signing-service, key: sasl.jaas.config}", "{name: key-service, key: sasl.jaas.config}")
                .replace("/etc/keyfleet/kafka-ca/ca.crt", "/opt/ca.crt"));
        assertThat(String.join("\n", TlsRules.kafkaClients(bad))).contains(
                "is not the TLS listener (9093)", "KAFKA_SECURITY_PROTOCOL is PLAINTEXT, expected SASL_SSL",
                "KAFKA_SASL_JAAS_CONFIG does not come from Secret signing-service",
                "KAFKA_SSL_TRUSTSTORE_LOCATION /opt/ca.crt is no file of a mounted Secret");
        Rendered sandbox = Rendered.of("sandbox", GOOD.replace("signing-service", "provider-sandbox"));
        assertThat(String.join("\n", TlsRules.kafkaClients(sandbox))).contains(
                "Deployment provider-sandbox: sets KAFKA_SECURITY_PROTOCOL but has no Kafka user");
    }

    @Test
    void aPlaintextListenerOrAMissingAuthorizerIsReported() {
        Rendered bad = Rendered.of("bad", GOOD.replace("tls: true\n", "tls: false\n").replace("type: scram-sha-512}\n        networkPolicyPeers:\n          - podSelector: {matchLabels: {app.kubernetes.io/part-of: keyfleet}}", "type: tls}")
                .replace("port: 9093", "port: 9092").replace("authorization: {type: simple}", "config: {}")
                .replace("userOperator: {}", "topicOperator: {}"));
        assertThat(TlsRules.kafkaCluster(bad.custom(TlsRules.STRIMZI, "Kafka").get(0))).containsExactlyInAnyOrder(
                "Kafka listener tls: plaintext (tls is not true)", "Kafka listener tls: authentication is not scram-sha-512",
                "Kafka listener tls: no networkPolicyPeers (every pod of the cluster could connect)",
                "Kafka: no listener on 9093, the port the services use", "Kafka: authorization is not simple (ACLs of the KafkaUsers)",
                "Kafka: no User Operator (nobody creates the KafkaUsers)");
    }

    @Test
    void plainHttpAWrongCertificateAndLooseProbesAreReported() {
        Rendered bad = Rendered.of("bad", GOOD.replace("QUARKUS_HTTP_INSECURE_REQUESTS: disabled", "QUARKUS_HTTP_INSECURE_REQUESTS: enabled")
                .replace("https://key-service", "http://key-service").replace("scheme: HTTPS", "scheme: HTTP")
                .replace("[signing-service, signing-service.ns.svc]", "[signing-service]")
                .replace("issuerRef: {name: ca, kind: Issuer}", "issuerRef: {kind: Issuer}")
                .replace("command: [\"bash\", \"/opt/keyfleet/bin/with-internal-ca.sh\"]", "command: [\"java\"]"));
        assertThat(String.join("\n", TlsRules.https(bad))).contains(
                "QUARKUS_HTTP_INSECURE_REQUESTS is enabled, expected disabled", "dnsNames [signing-service] lack signing-service.ns.svc",
                "Certificate of signing-service: no issuerRef", "a probe does not use scheme HTTPS", "does not start through with-internal-ca.sh");
        assertThat(TlsRules.noPlainHttp(bad)).containsExactly("ConfigMap signing-service-config KEYFLEET_KEY_SERVICE_URL: http://key-service:8081");
        Rendered noCertificate = Rendered.of("none", GOOD.replace("secretName: signing-service-tls\n  dnsNames", "secretName: other\n  dnsNames"));
        assertThat(TlsRules.https(noCertificate)).containsExactly(
                "Deployment signing-service: 0 cert-manager Certificates write Secret signing-service-tls");
    }

    @Test
    void aDatabaseUrlWithoutVerifyFullOrRootCertificateIsReported() {
        Rendered bad = Rendered.of("bad", GOOD.replace("sslmode=verify-full&sslrootcert=/etc/keyfleet/postgres-ca/ca.crt", "sslmode=require"));
        assertThat(TlsRules.postgresVerifyFull(bad)).singleElement().asString().contains("KEYFLEET_DB_URL does not verify the server");
        Rendered foreignRoot = Rendered.of("foreign", GOOD.replace("sslrootcert=/etc/keyfleet/postgres-ca/ca.crt", "sslrootcert=/opt/ca.crt"));
        assertThat(TlsRules.postgresVerifyFull(foreignRoot)).singleElement().asString().contains("KEYFLEET_DB_URL does not verify the server");
        assertThat(TlsRules.verifyFullRootCert("jdbc:postgresql://h/d?sslrootcert=/r&sslmode=verify-full")).contains("/r");
        assertThat(TlsRules.verifyFullRootCert("jdbc:postgresql://h/d?sslmode=verify-ca&sslrootcert=/r")).isEmpty();
    }

    private static final String GOOD_COMPOSE = """
            services:
              tls-init:
                image: postgres:17.6
                volumes: ["tls-signing-service:/tls/signing-service"]
              kafka:
                image: apache/kafka:4.1.1
                environment:
                  KAFKA_LISTENERS: SASL_SSL://:9093,BROKER://localhost:9095,CONTROLLER://localhost:9094
                  KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: SASL_SSL:SASL_SSL,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT
                  KAFKA_SASL_ENABLED_MECHANISMS: SCRAM-SHA-512
                  KAFKA_AUTHORIZER_CLASS_NAME: org.apache.kafka.metadata.authorizer.StandardAuthorizer
              signing-service:
                image: keyfleet/signing-service:0.1.0
                entrypoint: ["bash", "/opt/keyfleet/bin/with-internal-ca.sh"]
                environment:
                  QUARKUS_HTTP_INSECURE_REQUESTS: disabled
                  QUARKUS_HTTP_SSL_PORT: "8082"
                  QUARKUS_TLS_KEY_STORE_PEM__0__CERT: /etc/keyfleet/tls/tls.crt
                  QUARKUS_TLS_KEY_STORE_PEM__0__KEY: /etc/keyfleet/tls/tls.key
                  KEYFLEET_DB_URL: jdbc:postgresql://postgres:5432/signing_service?sslmode=verify-full&sslrootcert=/etc/keyfleet/tls/ca.crt
                  KEYFLEET_KEY_SERVICE_URL: https://key-service:8081
                  KAFKA_BOOTSTRAP_SERVERS: kafka:9093
                  KAFKA_SECURITY_PROTOCOL: SASL_SSL
                  KAFKA_SASL_MECHANISM: SCRAM-SHA-512
                  KAFKA_SASL_JAAS_CONFIG: 'org.apache.kafka.common.security.scram.ScramLoginModule required username="signing-service" password="x";'
                  KAFKA_SSL_TRUSTSTORE_LOCATION: /etc/keyfleet/tls/ca.crt
                volumes: ["tls-signing-service:/etc/keyfleet/tls:ro"]
                healthcheck:
                  test: ["CMD", "curl", "-fsS", "https://localhost:8082/q/health/ready"]
            """;

    @Test
    void aCompliantComposeServicePassesTheComposeRules() {
        Compose good = Compose.parse(GOOD_COMPOSE);
        assertThat(ComposeRules.kafkaBroker(good, "kafka")).isEmpty();
        assertThat(ComposeRules.kafkaClients(good, 9093)).isEmpty();
        assertThat(ComposeRules.tls(good)).isEmpty();
    }

    @Test
    void composeRulesCatchPlaintextKafkaForeignUsersPlainHttpAndUnverifiedPostgres() {
        Compose bad = Compose.parse(GOOD_COMPOSE.replace("BROKER://localhost:9095", "BROKER://:9095")
                .replace("KAFKA_AUTHORIZER_CLASS_NAME: org.apache.kafka.metadata.authorizer.StandardAuthorizer", "KAFKA_X: y")
                .replace("SASL_SSL\n", "PLAINTEXT\n").replace("username=\"signing-service\"", "username=\"key-service\"")
                .replace("disabled", "enabled").replace("https://key-service", "http://key-service").replace("https://localhost", "http://localhost")
                .replace("sslmode=verify-full&", "sslmode=require&").replace("/etc/keyfleet/tls/tls.key", "/opt/tls.key")
                .replace("/opt/keyfleet/bin/with-internal-ca.sh", "/opt/jboss/container/java/run/run-java.sh"));
        assertThat(String.join("\n", ComposeRules.kafkaBroker(bad, "kafka"))).contains(
                "listener BROKER://:9095 is PLAINTEXT and reachable from other containers", "no StandardAuthorizer");
        assertThat(String.join("\n", ComposeRules.kafkaClients(bad, 9093))).contains(
                "KAFKA_SECURITY_PROTOCOL is PLAINTEXT, expected SASL_SSL", "KAFKA_SASL_JAAS_CONFIG is not a SCRAM login as user signing-service");
        assertThat(String.join("\n", ComposeRules.tls(bad))).contains(
                "QUARKUS_HTTP_INSECURE_REQUESTS is enabled", "QUARKUS_TLS_KEY_STORE_PEM__0__KEY /opt/tls.key is not on volume tls-signing-service",
                "does not start through with-internal-ca.sh", "healthcheck does not use https", "KEYFLEET_DB_URL does not verify the server",
                "KEYFLEET_KEY_SERVICE_URL http://key-service:8081 is plain HTTP");
        Compose sandbox = Compose.parse(GOOD_COMPOSE.replace("signing-service", "provider-sandbox"));
        assertThat(ComposeRules.kafkaClients(sandbox, 9093)).contains("provider-sandbox: sets KAFKA_SECURITY_PROTOCOL but has no Kafka user");
    }

    @Test
    void theComposeAclScriptMustMatchTopics() {
        String script = Repo.read("deploy/compose/kafka/create-acls.sh");
        assertThat(ComposeRules.kafkaAcls(script)).isEmpty();
        String broken = script.replace("allow signing-service  Read      topic        keyfleet.keys.v1",
                        "allow signing-service  Write     topic        keyfleet.keys.v1")
                .replace("user sync-service \"$SYNC_SERVICE_KAFKA_PASSWORD\"", "user bench \"$BENCH\"")
                .replaceAll("(?m)^allow sync-service.*$", "") + "allow token-service Read topic *\n";
        assertThat(String.join("\n", ComposeRules.kafkaAcls(broken))).contains(
                "create-acls.sh signing-service: ACL topic:literal:keyfleet.keys.v1:Write is not in Topics.java",
                "create-acls.sh signing-service: lacks ACL topic:literal:keyfleet.keys.v1:Read",
                "create-acls.sh: no user sync-service", "create-acls.sh: user bench is no service of Topics.SERVICES",
                "create-acls.sh token-service: wildcard ACL topic:literal:*:Read");
    }
}
