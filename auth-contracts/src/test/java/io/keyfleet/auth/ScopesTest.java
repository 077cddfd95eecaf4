package io.keyfleet.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScopesTest {

    @Test
    void onlyTheFixedSetIsAccepted() {
        assertThat(Scopes.check(List.of("keys:read", "tokens:*", "keys:read"))).containsExactly("keys:read", "tokens:*");
        assertThatThrownBy(() -> Scopes.check(List.of("keys:everything"))).hasMessageContaining("'keys:everything'");
        assertThatThrownBy(() -> Scopes.check(List.of())).hasMessageContaining("at least one");
    }

    @Test
    void wildcardsCoverTheirAreaOnly() {
        assertThat(Scopes.covers(List.of("tokens:*"), "tokens:issue")).isTrue();
        assertThat(Scopes.covers(List.of("tokens:*"), "sync:run")).isFalse();
        assertThat(Scopes.covers(List.of("keys:write"), "keys:read")).isFalse();
        assertThat(Scopes.covers(List.of("keys:read"), "keys:read")).isTrue();
        assertThat(Scopes.covers(List.of("keys:read"), null)).isTrue();
    }

    @Test
    void anAreaWildcardMustNameAnExistingArea() {
        assertThat(Scopes.check(List.of("sync:*"))).containsExactly("sync:*");
        assertThatThrownBy(() -> Scopes.check(List.of("nothing:*"))).hasMessageContaining("'nothing:*'");
        assertThatThrownBy(() -> Scopes.check(List.of("*"))).hasMessageContaining("'*'");
    }

    @Test
    void crossTenantScopesAreRecognisedAlsoThroughWildcards() {
        assertThat(Scopes.firstSystemOnly(List.of("keys:read", "tenants:admin"))).isEqualTo("tenants:admin");
        assertThat(Scopes.firstSystemOnly(List.of("keys:*"))).isEqualTo("keys:*");
        assertThat(Scopes.firstSystemOnly(List.of("keys:read", "keys:write", "tokens:*"))).isNull();
    }
}
