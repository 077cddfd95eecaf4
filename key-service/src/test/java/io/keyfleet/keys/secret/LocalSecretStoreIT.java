package io.keyfleet.keys.secret;

import static io.keyfleet.keys.support.Tenancy.admin;
import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The {@code local} backend over a real PostgreSQL: the {@link SecretStore} contract, plus what envelope encryption
 * promises. Runs with no Vault configured and the default backend, so it also shows key-service starts without one.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class LocalSecretStoreIT extends SecretStoreContract {

    @Inject
    SecretStore store;

    @Inject
    SecretBackends backends;

    @Inject
    AgroalDataSource dataSource;

    @Override
    SecretStore store() {
        return store;
    }

    private LocalSecretStore local() {
        return backends.local().orElseThrow();
    }

    @Test
    void localIsTheDefaultBackendAndReadinessSaysSo() {
        assertThat(store.backend()).isEqualTo("local");
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'secret-backend' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'secret-backend' }.data.backend", equalTo("local"))
                .body("checks.find { it.name == 'secret-backend' }.data.activeMasterKeyVersion",
                        equalTo(local().masterKeys().activeVersion()));
    }

    @Test
    void noColumnHoldsTheSecretOrTheMasterKeyInClear() throws Exception {
        String marker = "PLANTED-PRIVATE-KEY-" + UUID.randomUUID();
        byte[] secret = ("-----BEGIN PRIVATE KEY-----\n" + marker + "\n-----END PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII);
        String path = newPath();
        store.put(path, 1, secret);
        store.put(path, 2, secret);

        List<String> rows = query("select t::text from secret_version t", rs -> rs.getString(1));
        String table = String.join("\n", rows).toLowerCase();
        assertThat(rows.stream().filter(row -> row.contains(path))).hasSize(2);
        byte[] masterKey = local().masterKeys().active().getEncoded();
        for (String needle : List.of(marker, HexFormat.of().formatHex(secret), HexFormat.of().formatHex(marker.getBytes(StandardCharsets.US_ASCII)),
                Base64.getEncoder().encodeToString(secret), "private key", HexFormat.of().formatHex("PRIVATE KEY".getBytes(StandardCharsets.US_ASCII)),
                HexFormat.of().formatHex(masterKey), Base64.getEncoder().encodeToString(masterKey))) {
            assertThat(table).as("table text must not contain %s", needle.substring(0, Math.min(12, needle.length())))
                    .doesNotContain(needle.toLowerCase());
        }
        assertThat(store.get(path, 2)).isEqualTo(secret);
    }

    @Test
    void anotherMasterKeyCannotDecryptAndSaysWhy() {
        String path = newPath();
        store.put(path, 1, randomSecret(40));
        int version = local().masterKeys().activeVersion();

        MasterKeys sameVersionOtherKey = MasterKeys.parse(version + ":" + Base64.getEncoder().encodeToString(randomSecret(32)), "test");
        assertThatThrownBy(() -> new LocalSecretStore(dataSource, sameVersionOtherKey, 10).get(path, 1))
                .isInstanceOf(SecretStoreException.class)
                .hasMessageContaining("Cannot unwrap the data key of '" + path + "' version 1 with master key version " + version);

        MasterKeys otherVersion = MasterKeys.parse((version + 1) + ":" + Base64.getEncoder().encodeToString(randomSecret(32)), "test");
        assertThatThrownBy(() -> new LocalSecretStore(dataSource, otherVersion, 10).get(path, 1))
                .isInstanceOf(SecretStoreException.class)
                .hasMessageContaining("wrapped with master key version " + version + ", which is not loaded (loaded: [" + (version + 1) + "])");
    }

    @Test
    void materialMovedToAnotherRowDoesNotDecrypt() throws Exception {
        String a = newPath();
        String b = newPath();
        byte[] a1 = randomSecret(32);
        byte[] b1 = randomSecret(32);
        store.put(a, 1, a1);
        store.put(a, 2, randomSecret(32));
        store.put(b, 1, b1);
        try {
            swap("ciphertext", a, 1, b, 1);
            assertThatThrownBy(() -> store.get(a, 1)).isInstanceOf(SecretStoreException.class);
            swap("ciphertext", a, 1, b, 1);
            assertThat(store.get(a, 1)).isEqualTo(a1);

            // the whole envelope of another secret: decrypts without associated data, must not here
            for (String column : List.of("wrapped_data_key", "iv", "ciphertext")) {
                swap(column, a, 1, b, 1);
            }
            assertThatThrownBy(() -> store.get(a, 1)).isInstanceOf(SecretStoreException.class).hasMessageContaining("row was altered");
            assertThatThrownBy(() -> store.get(b, 1)).isInstanceOf(SecretStoreException.class);

            // and of another version of the same secret
            for (String column : List.of("wrapped_data_key", "iv", "ciphertext")) {
                swap(column, a, 1, a, 2);
            }
            assertThatThrownBy(() -> store.get(a, 2)).isInstanceOf(SecretStoreException.class);
        } finally {
            // leave no live row that cannot be read (the rewrap test counts them)
            store.destroy(a, 1);
            store.destroy(a, 2);
            store.destroy(b, 1);
        }
    }

    @Test
    void rewrapMovesEveryRowToTheActiveMasterKeyAndTheOldKeyCanGo() throws Exception {
        MasterKeys current = local().masterKeys();
        int next = current.activeVersion() + 1;
        SecretKeySpec newKey = new SecretKeySpec(randomSecret(32), "AES");
        MasterKeys rotated = current.with(next, newKey, true);
        List<String> paths = new ArrayList<>();
        List<byte[]> secrets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            paths.add(newPath());
            secrets.add(randomSecret(100 + i));
            store.put(paths.get(i), 1, secrets.get(i));
        }
        store.destroy(paths.get(4), 1);
        long live = count("select count(*) from secret_version where destroyed_at is null");
        List<byte[]> ciphertextsBefore = query("select ciphertext from secret_version where path = '" + paths.get(0) + "'", rs -> rs.getBytes(1));

        try {
            LocalSecretStore.RewrapResult result = new LocalSecretStore(dataSource, rotated, 2).rewrapAll();

            assertThat(result.activeMasterKeyVersion()).isEqualTo(next);
            assertThat(result.failed()).isZero();
            assertThat(result.rewrapped()).isEqualTo(live);
            assertThat(result.rowsByMasterKeyVersion()).isEqualTo(Map.of(next, live));
            assertThat(count("select count(*) from secret_version where destroyed_at is null and master_key_version <> " + next)).isZero();
            assertThat(query("select ciphertext from secret_version where path = '" + paths.get(0) + "'", rs -> rs.getBytes(1)))
                    .as("only the data key is re-wrapped").containsExactlyElementsOf(ciphertextsBefore);

            LocalSecretStore onlyNewKey = new LocalSecretStore(dataSource, MasterKeys.parse(next + ":"
                    + Base64.getEncoder().encodeToString(newKey.getEncoded()), "test"), 2);
            for (int i = 0; i < 4; i++) {
                assertThat(onlyNewKey.get(paths.get(i), 1)).isEqualTo(secrets.get(i));
            }
            assertThatThrownBy(() -> onlyNewKey.get(paths.get(4), 1)).isInstanceOf(SecretNotFoundException.class);
            assertThatThrownBy(() -> store.get(paths.get(0), 1)).as("the running service does not have the new key")
                    .isInstanceOf(SecretStoreException.class).hasMessageContaining("not loaded");

            assertThat(new LocalSecretStore(dataSource, rotated, 2).rewrapAll().rewrapped()).as("nothing left to do").isZero();
        } finally {
            // back to the service's own master key, for the tests that run after this one
            LocalSecretStore.RewrapResult back = new LocalSecretStore(dataSource, rotated.activating(current.activeVersion()), 100).rewrapAll();
            assertThat(back.rowsByMasterKeyVersion()).containsOnlyKeys(current.activeVersion());
        }
        assertThat(store.get(paths.get(3), 1)).isEqualTo(secrets.get(3));
    }

    @Test
    void rewrapIsForSystemAdministratorsOnly() {
        given().post("/internal/v1/secrets/rewrap").then().statusCode(401)
                .contentType("application/problem+json").body("code", equalTo("MISSING"));
        given().header("Authorization", "Bearer wrong-token").post("/internal/v1/secrets/rewrap").then().statusCode(401)
                .contentType("application/problem+json").body("code", equalTo("NOT_FOUND"));
        // acting for a tenant changes nothing: the credential holds secrets:admin, so the system administrator may
        as(newTenant()).post("/internal/v1/secrets/rewrap").then().statusCode(200);
        admin().post("/internal/v1/secrets/rewrap").then().statusCode(200)
                .body("activeMasterKeyVersion", equalTo(local().masterKeys().activeVersion()))
                .body("failed", equalTo(0));
    }

    private interface Column<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Column<T> column) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rs = statement.executeQuery()) {
            List<T> values = new ArrayList<>();
            while (rs.next()) {
                values.add(column.read(rs));
            }
            return values;
        }
    }

    private long count(String sql) throws SQLException {
        return query(sql, rs -> rs.getLong(1)).get(0);
    }

    private void swap(String column, String pathA, int versionA, String pathB, int versionB) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("""
                     update secret_version s set %1$s = o.%1$s
                     from secret_version o
                     where (s.path, s.version, o.path, o.version) in ((?, ?, ?, ?), (?, ?, ?, ?))""".formatted(column))) {
            update.setString(1, pathA);
            update.setInt(2, versionA);
            update.setString(3, pathB);
            update.setInt(4, versionB);
            update.setString(5, pathB);
            update.setInt(6, versionB);
            update.setString(7, pathA);
            update.setInt(8, versionA);
            assertThat(update.executeUpdate()).isEqualTo(2);
        }
    }
}
