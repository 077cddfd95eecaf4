package io.keyfleet.keys.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keyfleet.auth.ServiceIdentity;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

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
}
