package io.keyfleet.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * One request to key-service's management API, as asked for on the command line; made by
 * {@link ManagementCommandLine}, carried out by {@link ManagementCommands}. Values are already checked: an environment
 * is {@code SANDBOX} or {@code PRODUCTION}, an algorithm one of {@link ManagementCommandLine#ALGORITHMS}.
 */
sealed interface ManagementAction {

    /** {@code tenants create ID --name NAME}. */
    record CreateTenant(String id, String name) implements ManagementAction {
    }

    /** {@code keys generate}: a new key pair for one app, provider and environment. */
    record GenerateKey(String provider, String appId, String environment, Optional<String> algorithm,
                       Optional<Path> privateKeyOut) implements ManagementAction {
    }

    /** {@code keys rotate}: one-click replace; the new version is CURRENT at once. */
    record RotateKey(UUID keyId, Optional<String> algorithm, Optional<Path> privateKeyOut) implements ManagementAction {
    }

    /** {@code keys stage}: staged replace, step 1; a PENDING version to set up at the provider first. */
    record StageVersion(UUID keyId, Optional<String> algorithm, Optional<Path> privateKeyOut)
            implements ManagementAction {
    }

    /** {@code keys promote}: staged replace, step 2; the PENDING version becomes CURRENT. */
    record PromoteVersion(UUID keyId, int version) implements ManagementAction {
    }

    /** {@code keys list}, with optional filters. */
    record ListKeys(Optional<String> provider, Optional<String> appId, Optional<String> environment)
            implements ManagementAction {
    }

    /** {@code keys show}: one key with all its versions. */
    record ShowKey(UUID keyId) implements ManagementAction {
    }

    /** {@code keys public-key}: bare base64 (what provider consoles ask for) unless {@code pem}. */
    record ShowPublicKey(UUID keyId, boolean pem, Optional<Integer> version) implements ManagementAction {
    }
}
