package io.keyfleet.keys.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The {@link SecretStore} contract; each adapter's test extends it. */
abstract class SecretStoreContract {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The adapter under test. */
    abstract SecretStore store();

    static String newPath() {
        return "tenants/t-" + UUID.randomUUID().toString().substring(0, 8) + "/keys/" + UUID.randomUUID();
    }

    static byte[] randomSecret(int length) {
        byte[] secret = new byte[length];
        RANDOM.nextBytes(secret);
        return secret;
    }

    @Test
    void storesAndReadsVersionsBack() {
        String path = newPath();
        byte[] first = randomSecret(1217);
        byte[] second = "-----BEGIN PRIVATE KEY-----\nversion two\n".getBytes(StandardCharsets.UTF_8);
        store().put(path, 1, first);
        store().put(path, 2, second);

        assertThat(store().get(path, 1)).isEqualTo(first);
        assertThat(store().get(path, 2)).isEqualTo(second);
        assertThat(store().get(path, 1)).as("a fresh array each time").isNotSameAs(store().get(path, 1));
    }

    @Test
    void writesAreCompareAndSet() {
        String path = newPath();
        assertThatThrownBy(() -> store().put(path, 2, randomSecret(8)))
                .as("a new path starts at 1").isInstanceOf(SecretVersionConflictException.class);
        store().put(path, 1, randomSecret(8));
        assertThatThrownBy(() -> store().put(path, 1, randomSecret(8)))
                .as("version 1 exists").isInstanceOf(SecretVersionConflictException.class);
        assertThatThrownBy(() -> store().put(path, 3, randomSecret(8)))
                .as("versions cannot skip").isInstanceOf(SecretVersionConflictException.class);
        byte[] second = randomSecret(8);
        store().put(path, 2, second);
        assertThat(store().get(path, 2)).isEqualTo(second);
        assertThatThrownBy(() -> store().put(path, 2, randomSecret(8))).isInstanceOf(SecretVersionConflictException.class);
    }

    @Test
    void concurrentWritersOfOneVersionLeaveOneWinner() throws Exception {
        String path = newPath();
        store().put(path, 1, randomSecret(8));
        int writers = 8;
        List<byte[]> secrets = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            secrets.add(randomSecret(32));
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (byte[] secret : secrets) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        store().put(path, 2, secret);
                        return true;
                    } catch (SecretVersionConflictException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int winner = -1;
            int wins = 0;
            for (int i = 0; i < writers; i++) {
                if (outcomes.get(i).get()) {
                    wins++;
                    winner = i;
                }
            }
            assertThat(wins).isEqualTo(1);
            assertThat(store().get(path, 2)).isEqualTo(secrets.get(winner));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void absentVersionsAreNotFound() {
        String path = newPath();
        assertThatThrownBy(() -> store().get(path, 1)).isInstanceOf(SecretNotFoundException.class);
        store().put(path, 1, randomSecret(32));
        assertThatThrownBy(() -> store().get(path, 2)).isInstanceOf(SecretNotFoundException.class)
                .hasMessageContaining(path);
    }

    @Test
    void destroyRemovesOneVersionForGoodAndIsIdempotent() {
        String path = newPath();
        byte[] first = randomSecret(64);
        byte[] second = randomSecret(64);
        store().put(path, 1, first);
        store().put(path, 2, second);

        store().destroy(path, 1);
        assertThatThrownBy(() -> store().get(path, 1)).isInstanceOf(SecretNotFoundException.class);
        assertThat(store().get(path, 2)).isEqualTo(second);

        store().destroy(path, 1);
        store().destroy(path, 7);
        store().destroy(newPath(), 1);

        assertThatThrownBy(() -> store().put(path, 1, first))
                .as("a destroyed version still counts").isInstanceOf(SecretVersionConflictException.class);
        store().destroy(path, 2);
        store().put(path, 3, first);
        assertThat(store().get(path, 3)).isEqualTo(first);
    }

    @Test
    void rejectsBadArguments() {
        for (String bad : new String[] {"", "/tenants/a", "tenants/a/", "tenants//a", "tenants/../a", "tenants/a..b",
                "tenants/./a", "tenants/a b", "tenants/ä", "tenants/a?version=1", "tenants/a%2F..", "x".repeat(513)}) {
            assertThatThrownBy(() -> store().put(bad, 1, randomSecret(4))).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store().get(bad, 1)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store().destroy(bad, 1)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> store().get(null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().put(newPath(), 0, randomSecret(4))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().get(newPath(), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().put(newPath(), 1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().put(newPath(), 1, null)).isInstanceOf(IllegalArgumentException.class);
        // the allowed alphabet
        String fine = "tenants/T_1.x-y/keys/" + UUID.randomUUID();
        store().put(fine, 1, randomSecret(4));
        assertThat(store().get(fine, 1)).hasSize(4);
    }
}
