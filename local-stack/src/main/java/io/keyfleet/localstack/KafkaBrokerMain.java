package io.keyfleet.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;

/**
 * Main class of the child JVM that {@link KafkaBroker} starts: runs {@code kafka.Kafka} with the given server
 * properties, and shuts the broker down when the parent process goes away.
 *
 * <p>The parent keeps the child's standard input open and never writes to it. When the parent dies, however it dies
 * (even {@code kill -9}), the operating system closes that pipe; reading it then returns end-of-file and this JVM exits,
 * which runs Kafka's own graceful shutdown hook. So no broker is left behind by a killed test run.
 */
public final class KafkaBrokerMain {

    private static final Duration GRACEFUL_SHUTDOWN_LIMIT = Duration.ofSeconds(20);

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length != 1) {
            System.err.println("Usage: KafkaBrokerMain <server.properties>");
            System.exit(2);
        }
        Thread watchdog = new Thread(KafkaBrokerMain::exitWhenParentIsGone, "keyfleet-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void exitWhenParentIsGone() {
        try (InputStream parent = System.in) {
            while (parent.read() != -1) {
                // the parent never writes; anything read is ignored
            }
        } catch (IOException e) {
            // a broken pipe means the same as end-of-file: the parent is gone
        }
        System.err.println("[keyfleet] the parent process is gone; shutting the Kafka broker down");
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(GRACEFUL_SHUTDOWN_LIMIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(1);
        }, "keyfleet-halt-after-grace");
        halt.setDaemon(true);
        halt.start();
        System.exit(0);
    }
}
