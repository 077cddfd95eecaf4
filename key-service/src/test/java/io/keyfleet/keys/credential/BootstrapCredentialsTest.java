package io.keyfleet.keys.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keyfleet.auth.ApiKeyFormat;
import io.keyfleet.auth.ServiceIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapCredentialsTest {

    private static final Set<String> SERVICES = Set.of("signing-service", "sync-service", "bench");

    @Test
    void eachServiceHoldsItsOwnListUnlessNarrowed() {
        var scopes = BootstrapCredentials.serviceScopes("", SERVICES);
        assertThat(scopes.get("signing-service")).isEqualTo(ServiceIdentity.SIGNING_SERVICE.scopes());
        assertThat(scopes.get("sync-service")).isEqualTo(ServiceIdentity.SYNC_SERVICE.scopes());
        assertThat(scopes.get("bench")).isEqualTo(List.of("credentials:verify"));

        scopes = BootstrapCredentials.serviceScopes(" signing-service = credentials:verify keys:material ; sync-service=credentials:verify", SERVICES);
        assertThat(scopes.get("signing-service")).containsExactly("credentials:verify", "keys:material");
        assertThat(scopes.get("sync-service")).containsExactly("credentials:verify");
    }

    @Test
    void aServiceCannotBeWidenedAndTyposStopTheStart() {
        assertThatThrownBy(() -> BootstrapCredentials.serviceScopes("sync-service=keys:material", SERVICES))
                .hasMessageContaining("sync-service may hold at most").hasMessageContaining("keys:material");
        assertThatThrownBy(() -> BootstrapCredentials.serviceScopes("bench=keys:read", SERVICES)).hasMessageContaining("at most");
        assertThatThrownBy(() -> BootstrapCredentials.serviceScopes("signing-servic=keys:read", SERVICES))
                .hasMessageContaining("signing-servic");
        assertThatThrownBy(() -> BootstrapCredentials.serviceScopes("sync-service=", SERVICES)).hasMessageContaining("at most");
    }

    @Test
    void withoutAnAdminKeyOrItsFileKeyServiceDoesNotStart() {
        assertThatThrownBy(() -> BootstrapCredentials.adminKey(Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("keyfleet.credentials.admin-api-key").hasMessageContaining("KEYFLEET_ADMIN_API_KEY")
                .hasMessageContaining("keyfleet.credentials.admin-key-file").hasMessageContaining("KEYFLEET_ADMIN_KEY_FILE");
        assertThatThrownBy(() -> BootstrapCredentials.adminKey(Optional.of(ApiKeyFormat.generate(true)), Optional.of(Path.of("admin-key"))))
                .hasMessageContaining("only one");
    }

    @Test
    void theAdminKeyIsTheConfiguredOneOrTheFilesOrMadeWhenTheFileIsMissing(@TempDir Path directory) throws Exception {
        String key = ApiKeyFormat.generate(true);
        assertThat(BootstrapCredentials.adminKey(Optional.of(key), Optional.empty())).isEqualTo(key);

        Path file = directory.resolve("admin-api-key");
        assertThat(BootstrapCredentials.adminKey(Optional.empty(), Optional.of(file))).as("made on first start").isNull();
        Files.writeString(file, key + "\n");
        assertThat(BootstrapCredentials.adminKey(Optional.empty(), Optional.of(file))).isEqualTo(key);
    }

    @Test
    void aMalformedAdminKeyIsRefusedWithoutRepeatingIt(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("admin-api-key");
        Files.writeString(file, "not-a-key-0123456789");
        assertThatThrownBy(() -> BootstrapCredentials.adminKey(Optional.empty(), Optional.of(file)))
                .hasMessageContaining(file.toString()).hasMessageNotContaining("not-a-key-0123456789");
        assertThatThrownBy(() -> BootstrapCredentials.adminKey(Optional.of("kf_live_short"), Optional.empty()))
                .hasMessageContaining("keyfleet.credentials.admin-api-key").hasMessageNotContaining("kf_live_short");
    }

    @Test
    void theMadeAdminKeyGoesIntoANewOwnerOnlyFile(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("secrets").resolve("admin-api-key");
        String key = ApiKeyFormat.generate(true);
        BootstrapCredentials.writeAdminKey(file, key);
        assertThat(Files.readString(file)).isEqualTo(key + "\n");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThatThrownBy(() -> BootstrapCredentials.writeAdminKey(file, ApiKeyFormat.generate(true)))
                .hasMessageContaining(file.toString());
        assertThat(Files.readString(file)).isEqualTo(key + "\n");
    }
}
