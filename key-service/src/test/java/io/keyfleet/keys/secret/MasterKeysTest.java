package io.keyfleet.keys.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.LaunchMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeysTest {

    private static final String K1 = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = Base64.getEncoder().encodeToString(filled(32, 7));

    @Test
    void parsesVersionedKeysTheHighestActive() {
        MasterKeys keys = MasterKeys.parse("# comment\n1:" + K1 + "\n\n3:" + K2 + "\n", "file");
        assertThat(keys.versions()).containsExactly(1, 3);
        assertThat(keys.activeVersion()).isEqualTo(3);
        assertThat(keys.active().getEncoded()).isEqualTo(filled(32, 7));
        assertThat(MasterKeys.parse("2:" + K2 + ", 1:" + K1, "env").activeVersion()).isEqualTo(2);
        assertThat(keys.toString()).doesNotContain(K1).doesNotContain(K2);
    }

    @Test
    void rejectsBadEntriesWithoutQuotingThem() {
        String shortKey = Base64.getEncoder().encodeToString(filled(16, 9));
        for (String bad : new String[] {"", "# only a comment", "1:" + shortKey, "1" + K1, "x:" + K1, "0:" + K1,
                "1:" + K1 + "\n1:" + K2, "1:not*base64", K2}) {
            assertThatThrownBy(() -> MasterKeys.parse(bad, "the-source")).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the-source")
                    .hasMessageNotContaining(K1).hasMessageNotContaining(K2).hasMessageNotContaining(shortKey);
        }
    }

    @Test
    void keyFileIsCreatedOnceOwnerOnlyAndGrowsVersions(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(".keyfleet/master.key");
        assertThat(MasterKeyFile.createIfMissing(file)).isTrue();
        byte[] first = MasterKeyFile.read(file).active().getEncoded();
        assertThat(MasterKeyFile.createIfMissing(file)).as("never overwritten").isFalse();
        assertThat(MasterKeyFile.read(file).active().getEncoded()).isEqualTo(first);
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(file))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }

        assertThat(MasterKeyFile.addVersion(file)).isEqualTo(2);
        MasterKeys keys = MasterKeyFile.read(file);
        assertThat(keys.versions()).containsExactly(1, 2);
        assertThat(keys.activeVersion()).isEqualTo(2);
        assertThat(keys.version(1).orElseThrow().getEncoded()).isEqualTo(first);
        assertThat(keys.active().getEncoded()).isNotEqualTo(first);

        MasterKeyFile.main(new String[] {"create", dir.resolve("other.key").toString()});
        assertThat(MasterKeyFile.read(dir.resolve("other.key")).activeVersion()).isEqualTo(1);
    }

    @Test
    void productionWithoutAMasterKeyRefusesToStartAndSaysWhatToSet() {
        assertThatThrownBy(() -> SecretBackends.loadMasterKeys(local(Optional.empty(), Optional.empty()), LaunchMode.NORMAL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("KEYFLEET_MASTER_KEY_FILE")
                .hasMessageContaining("keyfleet.secrets.local.master-keys")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> SecretBackends.loadMasterKeys(local(Optional.of(Path.of("/nonexistent/master.key")),
                Optional.empty()), LaunchMode.NORMAL)).hasMessageContaining("/nonexistent/master.key");
        assertThatThrownBy(() -> SecretBackends.loadMasterKeys(local(Optional.of(Path.of("x")), Optional.of("1:" + K1)),
                LaunchMode.NORMAL)).hasMessageContaining("only one");
    }

    @Test
    void configuredKeysWinAndDevAndTestFallBackToAGeneratedFile() {
        assertThat(SecretBackends.loadMasterKeys(local(Optional.empty(), Optional.of("4:" + K2)), LaunchMode.NORMAL)
                .activeVersion()).isEqualTo(4);
        MasterKeys dev = SecretBackends.loadMasterKeys(local(Optional.empty(), Optional.empty()), LaunchMode.DEVELOPMENT);
        assertThat(Files.exists(SecretBackends.DEV_MASTER_KEY_FILE)).isTrue();
        assertThat(SecretBackends.loadMasterKeys(local(Optional.empty(), Optional.empty()), LaunchMode.TEST).active().getEncoded())
                .as("the same file, kept").isEqualTo(dev.active().getEncoded());
    }

    private static SecretsConfig.Local local(Optional<Path> file, Optional<String> keys) {
        return new SecretsConfig.Local() {
            public Optional<Path> masterKeyFile() {
                return file;
            }

            public Optional<String> masterKeys() {
                return keys;
            }

            public int rewrapBatchSize() {
                return 10;
            }
        };
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
