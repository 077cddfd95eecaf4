package io.keyfleet.keys.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.keyfleet.kit.crypto.VersionedKeys;
import io.keyfleet.kit.secrets.KnownSecrets;
import org.junit.jupiter.api.Test;

class KeyServiceSecretSettingsTest {

    @Test
    void theMasterKeysOfAValueOrFileAreTheirKeyMaterial() {
        assertThat(VersionedKeys.material("# made by MasterKeyFile\n1:FlbG9V9Zk9SVj/jTNsPoZODULDoWwtITM6uSNLElAfc=\n\n2: b3du "))
                .containsExactly("FlbG9V9Zk9SVj/jTNsPoZODULDoWwtITM6uSNLElAfc=", "b3du");
        assertThat(VersionedKeys.material("1:a,2:b")).containsExactly("a", "b");
        // the test profile's master key is one the prod profile refuses
        assertThat(KnownSecrets.shipped().contains(VersionedKeys.material("1:FlbG9V9Zk9SVj/jTNsPoZODULDoWwtITM6uSNLElAfc=").get(0)))
                .isTrue();
    }
}
