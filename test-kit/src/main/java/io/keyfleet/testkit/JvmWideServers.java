package io.keyfleet.testkit;

import io.keyfleet.localstack.EmbeddedPostgresServer;
import io.keyfleet.localstack.KafkaBroker;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The one PostgreSQL server, the one open Kafka broker and the one secured Kafka broker of this test JVM, started lazily
 * on first use and stopped by their own JVM shutdown hooks, never between test classes. Tests use
 * {@link PostgresTestResource}, {@link KafkaTestResource} and {@link SecuredKafkaTestResource}, not this class.
 *
 * <p>Why the indirection: Quarkus loads test-kit again in each application class loader, and every
 * {@code @TestProfile} gets its own, so a plain static field would start one server per profile. Every copy of this
 * class therefore runs its calls on the copy loaded by the system class loader, which surefire, failsafe and IDEs
 * give the whole test class path; only where that loader cannot see test-kit does a copy use itself. Calls between
 * copies pass JDK types only.
 */
public final class JvmWideServers {

    private static EmbeddedPostgresServer postgres;
    private static KafkaBroker kafka;
    private static KafkaBroker securedKafka;

    private JvmWideServers() {
    }

    /** Creates the database if needed; returns {@code jdbcUrl}, {@code username} and {@code password}. */
    public static synchronized Map<String, String> createPostgresDatabase(String database) {
        if (postgres == null) {
            postgres = EmbeddedPostgresServer.start(null, 0);
        }
        postgres.createDatabase(database);
        return Map.of(
                "jdbcUrl", postgres.jdbcUrl(database),
                "username", postgres.username(),
                "password", postgres.password());
    }

    /** Starts the broker unless it is running (the first time, or after {@link #stopKafka()}); returns its address. */
    public static synchronized String startKafka() {
        if (kafka == null) {
            kafka = KafkaBroker.start(null, 0);
        } else if (!kafka.isRunning()) {
            kafka.start();
        }
        return kafka.bootstrapServers();
    }

    /** Stops the broker if it was started and is running; it keeps its address and topics for {@link #startKafka()}. */
    public static synchronized void stopKafka() {
        if (kafka != null) {
            kafka.stop();
        }
    }

    public static synchronized boolean isKafkaRunning() {
        return kafka != null && kafka.isRunning();
    }

    /** The broker's address, starting it if it has never been started. */
    public static synchronized String kafkaBootstrapServers() {
        if (kafka == null) {
            startKafka();
        }
        return kafka.bootstrapServers();
    }

    /**
     * The client settings of a user of the secured broker, {@code bootstrap.servers} included; starts the broker unless
     * it is running.
     */
    public static synchronized Map<String, String> securedKafkaClientConfig(String user) {
        if (securedKafka == null) {
            securedKafka = KafkaBroker.startSecured(null, 0);
        } else if (!securedKafka.isRunning()) {
            securedKafka.start();
        }
        Map<String, String> config = new HashMap<>(securedKafka.clientConfig(user));
        config.put("bootstrap.servers", securedKafka.bootstrapServers());
        return config;
    }

    /** Runs the public static method {@code name} of this class on the JVM-wide copy of it. */
    static Object call(String name, Object... arguments) {
        Class<?> jvmWide = jvmWideCopy();
        Method method = Arrays.stream(jvmWide.getMethods())
                .filter(candidate -> candidate.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(jvmWide + " has no method " + name
                        + ": two different versions of test-kit are on the class path"));
        // code of the JVM-wide copy must also find classes through its own loader (Kafka clients use this one)
        Thread thread = Thread.currentThread();
        ClassLoader callerContextLoader = thread.getContextClassLoader();
        thread.setContextClassLoader(jvmWide.getClassLoader());
        try {
            return method.invoke(null, arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot call " + method, e);
        } finally {
            thread.setContextClassLoader(callerContextLoader);
        }
    }

    private static Class<?> jvmWideCopy() {
        try {
            return Class.forName(JvmWideServers.class.getName(), true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            return JvmWideServers.class;
        }
    }
}
