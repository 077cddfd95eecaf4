package io.keyfleet.kit.secrets;

import java.util.List;

/**
 * The secrets of a module's settings, for {@link KnownSecretsGuard} to check at start. service-kit offers the settings
 * every service shares (database password, own API key, Kafka login); a service with secret settings of its own offers
 * them with a bean of its own.
 */
public interface SecretSettings {

    /** The configured secrets, unset ones left out; list settings split into their entries. */
    List<ConfiguredSecret> secrets();
}
