package io.keyfleet.localstack;

import io.keyfleet.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The secured mode of {@link KafkaBroker}: one SASL_SSL listener (SCRAM-SHA-512) for clients, a controller listener
 * that takes only the broker's own certificate (mutual TLS), and the {@code StandardAuthorizer} with ACLs made from
 * {@link Topics}: each service's user may write the topics it writes and read the topics it reads, in consumer groups
 * whose names start with its own name. {@link #ADMIN} is a super user, for test harnesses.
 *
 * <p>Everything lives in {@code <dataDir>/security} (owner-only permissions) and is made once per data directory, so
 * a restarted broker keeps its users and certificate: a throw-away CA (its key is deleted once it has signed), the
 * broker's key and certificate for {@code localhost} and {@code 127.0.0.1} ({@code broker.p12}), the truststore that
 * clients use ({@code truststore.p12}), and the random passwords ({@code secrets.properties}). The SCRAM users are
 * written into the metadata log when it is formatted, so they exist from the broker's first answer on.
 */
final class KafkaSecurity {

    static final String ADMIN = "admin";
    static final String MECHANISM = "SCRAM-SHA-512";
    private static final String BROKER_DN = "CN=keyfleet-local-broker";
    private static final String STORE_TYPE = "PKCS12";
    private static final String STORE_PASSWORD_VARIABLE = "KEYFLEET_KEYTOOL_STOREPASS";
    private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(120);
    private static final String SECRETS_FILE = "secrets.properties";
    private static final String KEYSTORE_PASSWORD = "keystore.password";
    private static final String TRUSTSTORE_PASSWORD = "truststore.password";
    private static final String USER_PASSWORD_PREFIX = "password.";

    private final Path directory;
    private final Properties secrets;

    private KafkaSecurity(Path directory, Properties secrets) {
        this.directory = directory;
        this.secrets = secrets;
    }

    /**
     * The security material in {@code directory}, made there first if it is not there yet (keytool output goes to
     * {@code logFile}).
     */
    static KafkaSecurity prepare(Path directory, Path logFile) {
        Path secretsFile = directory.resolve(SECRETS_FILE);
        if (Files.isRegularFile(secretsFile)) {
            return new KafkaSecurity(directory, load(secretsFile));
        }
        LocalFiles.deleteRecursively(directory); // what a failed first attempt left
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + directory, e);
        }
        Properties secrets = new Properties();
        secrets.setProperty(KEYSTORE_PASSWORD, randomPassword());
        secrets.setProperty(TRUSTSTORE_PASSWORD, randomPassword());
        for (String user : users()) {
            secrets.setProperty(USER_PASSWORD_PREFIX + user, randomPassword());
        }
        KafkaSecurity security = new KafkaSecurity(directory, secrets);
        security.makeCertificates(logFile);
        // written last: its presence says that everything else is there
        try (OutputStream out = Files.newOutputStream(ownerOnlyFile(secretsFile))) {
            secrets.store(out, "keyfleet local-stack Kafka: passwords of the stores and SCRAM users");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + secretsFile, e);
        }
        return security;
    }

    /** Whether {@link #prepare} has completed in {@code directory}. */
    static boolean isPrepared(Path directory) {
        return Files.isRegularFile(directory.resolve(SECRETS_FILE));
    }

    /** {@link #ADMIN} and one user per service. */
    static List<String> users() {
        return Stream.concat(Stream.of(ADMIN), Topics.SERVICES.stream()).toList();
    }

    /** The listeners, TLS, SASL and authorizer settings of the broker. */
    Map<String, String> brokerConfig(int port, int controllerPort) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("listeners", "SASL_SSL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + port);
        config.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SSL");
        config.put("inter.broker.listener.name", "SASL_SSL");
        config.put("sasl.enabled.mechanisms", MECHANISM);
        config.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        config.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaasConfig(ADMIN, password(ADMIN)));
        config.put("ssl.keystore.type", STORE_TYPE);
        config.put("ssl.keystore.location", keystore().toString());
        config.put("ssl.keystore.password", secrets.getProperty(KEYSTORE_PASSWORD));
        config.put("ssl.truststore.type", STORE_TYPE);
        config.put("ssl.truststore.location", truststore().toString());
        config.put("ssl.truststore.password", secrets.getProperty(TRUSTSTORE_PASSWORD));
        // only the broker itself (its certificate's subject is a super user) talks to the controller
        config.put("listener.name.controller.ssl.client.auth", "required");
        config.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        config.put("super.users", "User:" + ADMIN + ";User:" + BROKER_DN);
        return config;
    }

    /** Arguments of {@code kafka-storage format} that create the SCRAM users (they carry the passwords). */
    List<String> formatArguments() {
        List<String> arguments = new ArrayList<>();
        for (String user : users()) {
            arguments.add("--add-scram");
            arguments.add(MECHANISM + "=[name=" + user + ",password=" + password(user) + "]");
        }
        return arguments;
    }

    /** What a client of {@code user} sets besides {@code bootstrap.servers}: SASL_SSL with its password. */
    Map<String, String> clientConfig(String user) {
        return Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", jaasConfig(user, password(user)),
                "ssl.truststore.type", STORE_TYPE,
                "ssl.truststore.location", truststore().toString(),
                "ssl.truststore.password", secrets.getProperty(TRUSTSTORE_PASSWORD));
    }

    /**
     * One attempt to give the broker the topics and ACLs (both kept when they exist); returns once the authorizer
     * answers with every ACL, and throws if it does not have them all yet.
     */
    void provision(Admin admin) throws Exception {
        Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
        List<NewTopic> missing = Topics.all().stream()
                .filter(topic -> !existing.contains(topic))
                .map(topic -> new NewTopic(topic, Optional.empty(), Optional.empty()))
                .toList();
        admin.createTopics(missing).all().get(10, TimeUnit.SECONDS);
        List<AclBinding> acls = acls();
        admin.createAcls(acls).all().get(10, TimeUnit.SECONDS);
        Set<AclBinding> inEffect = new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get(10, TimeUnit.SECONDS));
        if (!inEffect.containsAll(acls)) {
            throw new IllegalStateException("the broker's authorizer does not have all ACLs yet");
        }
    }

    /**
     * Per service: WRITE and DESCRIBE on the topics it writes, READ and DESCRIBE on the topics it reads, and READ on
     * the consumer groups whose names start with its name ({@code <service>}, {@code <service>-cache-<uuid>},
     * {@code <service>-verification-cache-<uuid>}). An idempotent producer needs nothing more: WRITE on a topic lets
     * it ask for a producer id.
     */
    static List<AclBinding> acls() {
        List<AclBinding> acls = new ArrayList<>();
        for (String service : Topics.SERVICES) {
            for (String topic : Topics.writtenBy(service)) {
                allow(acls, service, new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL), AclOperation.WRITE, AclOperation.DESCRIBE);
            }
            for (String topic : Topics.readBy(service)) {
                allow(acls, service, new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL), AclOperation.READ, AclOperation.DESCRIBE);
            }
            if (!Topics.readBy(service).isEmpty()) {
                allow(acls, service, new ResourcePattern(ResourceType.GROUP, service, PatternType.PREFIXED), AclOperation.READ);
            }
        }
        return acls;
    }

    private static void allow(List<AclBinding> acls, String user, ResourcePattern resource, AclOperation... operations) {
        for (AclOperation operation : operations) {
            acls.add(new AclBinding(resource, new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW)));
        }
    }

    private String password(String user) {
        String password = secrets.getProperty(USER_PASSWORD_PREFIX + user);
        if (password == null) {
            throw new IllegalArgumentException("No Kafka user " + user + "; the users are " + users());
        }
        return password;
    }

    private static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    private Path keystore() {
        return directory.resolve("broker.p12");
    }

    private Path truststore() {
        return directory.resolve("truststore.p12");
    }

    /**
     * A CA signs the broker's certificate (keytool); the signed certificate and the CA's go into the broker's keystore
     * and the CA's alone into the truststore (JDK KeyStore API). The CA's key is deleted: nothing else gets signed.
     */
    private void makeCertificates(Path logFile) {
        Path ca = directory.resolve("ca.p12");
        Path request = directory.resolve("broker.csr");
        Path signed = directory.resolve("broker.pem");
        keytool(logFile, "-genkeypair", "-alias", "ca", "-dname", "CN=Keyfleet local throw-away CA", "-ext", "bc:c",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650", "-keystore", ca.toString());
        keytool(logFile, "-genkeypair", "-alias", "broker", "-dname", BROKER_DN,
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650", "-keystore", keystore().toString());
        keytool(logFile, "-certreq", "-alias", "broker", "-keystore", keystore().toString(), "-file", request.toString());
        keytool(logFile, "-gencert", "-alias", "ca", "-keystore", ca.toString(), "-infile", request.toString(),
                "-outfile", signed.toString(), "-rfc", "-validity", "3650", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-ext", "KU=digitalSignature", "-ext", "EKU=serverAuth,clientAuth");
        char[] keystorePassword = secrets.getProperty(KEYSTORE_PASSWORD).toCharArray();
        try {
            Certificate caCertificate = loadStore(ca, keystorePassword).getCertificate("ca");
            Certificate brokerCertificate;
            try (InputStream in = Files.newInputStream(signed)) {
                brokerCertificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            KeyStore broker = loadStore(keystore(), keystorePassword);
            Key key = broker.getKey("broker", keystorePassword);
            broker.setKeyEntry("broker", key, keystorePassword, new Certificate[] {brokerCertificate, caCertificate});
            storeStore(broker, keystore(), keystorePassword);
            KeyStore trust = KeyStore.getInstance(STORE_TYPE);
            trust.load(null, null);
            trust.setCertificateEntry("keyfleet-local-ca", caCertificate);
            storeStore(trust, truststore(), secrets.getProperty(TRUSTSTORE_PASSWORD).toCharArray());
            Files.delete(ca);
            Files.delete(request);
            Files.delete(signed);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make the Kafka broker's keystore and truststore in " + directory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not make the Kafka broker's keystore and truststore in " + directory, e);
        }
    }

    /** Runs the JDK's keytool with the keystore password in its environment, never on its command line. */
    private void keytool(Path logFile, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", STORE_TYPE, "-storepass:env", STORE_PASSWORD_VARIABLE, "-noprompt"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().put(STORE_PASSWORD_VARIABLE, secrets.getProperty(KEYSTORE_PASSWORD));
        try {
            Process keytool = builder.start();
            keytool.getOutputStream().close();
            if (!keytool.waitFor(KEYTOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                keytool.destroyForcibly();
                throw new IllegalStateException("keytool " + arguments[0] + " did not finish within "
                        + KEYTOOL_TIMEOUT.toSeconds() + " s");
            }
            if (keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed with exit code " + keytool.exitValue()
                        + ". Last lines of " + logFile + ":" + System.lineSeparator()
                        + LocalFiles.lastLinesOfCurrentRun(logFile, 10));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running keytool " + arguments[0], e);
        }
    }

    private static KeyStore loadStore(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(STORE_TYPE);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    private static void storeStore(KeyStore store, Path file, char[] password) throws IOException, GeneralSecurityException {
        Files.deleteIfExists(file);
        try (OutputStream out = Files.newOutputStream(ownerOnlyFile(file))) {
            store.store(out, password);
        }
    }

    /** Creates an empty file only its owner can read and write. */
    static Path ownerOnlyFile(Path file) throws IOException {
        return Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
        return properties;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
