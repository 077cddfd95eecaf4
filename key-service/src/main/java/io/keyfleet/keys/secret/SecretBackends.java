package io.keyfleet.keys.secret;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Picks the secret backend from {@code keyfleet.secrets.backend} at startup and produces it as the
 * {@link SecretStore} bean. Startup fails with a one-line message when the chosen backend is not configured (no master
 * key outside dev and test; no Vault URL or credentials).
 */
@Singleton
public class SecretBackends {

    private static final Logger LOG = Logger.getLogger(SecretBackends.class);
    static final Path DEV_MASTER_KEY_FILE = Path.of("target", "keyfleet-dev-master.key");

    @Inject
    SecretsConfig config;

    @Inject
    Instance<AgroalDataSource> dataSource;

    private volatile SecretStore active;

    void onStart(@Observes StartupEvent event) {
        active();
    }

    @Produces
    @Singleton
    SecretStore secretStore() {
        return active();
    }

    public SecretStore active() {
        SecretStore store = active;
        if (store == null) {
            synchronized (this) {
                if (active == null) {
                    active = create();
                    LOG.infof("Secret backend: %s", active.backend());
                }
                store = active;
            }
        }
        return store;
    }

    /** The local adapter, when it is the active one. */
    public Optional<LocalSecretStore> local() {
        return active() instanceof LocalSecretStore local ? Optional.of(local) : Optional.empty();
    }

    private SecretStore create() {
        return switch (config.backend()) {
            case LOCAL -> new LocalSecretStore(dataSource.get(),
                    loadMasterKeys(config.local(), LaunchMode.current()), config.local().rewrapBatchSize());
            case VAULT -> VaultSecretStore.create(config.vault());
        };
    }

    /**
     * The master keys from the file or the value; in dev and test mode without either, a generated key file under
     * {@code target/} with a loud warning; otherwise a refusal naming what to set.
     */
    static MasterKeys loadMasterKeys(SecretsConfig.Local local, LaunchMode mode) {
        if (local.masterKeyFile().isPresent() && local.masterKeys().isPresent()) {
            throw new IllegalStateException("Set only one of keyfleet.secrets.local.master-key-file and"
                    + " keyfleet.secrets.local.master-keys");
        }
        if (local.masterKeyFile().isPresent()) {
            Path file = local.masterKeyFile().get();
            if (!java.nio.file.Files.isReadable(file)) {
                throw new IllegalStateException("The master key file " + file.toAbsolutePath() + " (keyfleet.secrets.local"
                        + ".master-key-file) does not exist or is not readable; create it with MasterKeyFile create");
            }
            return MasterKeyFile.read(file);
        }
        if (local.masterKeys().isPresent()) {
            return MasterKeys.parse(local.masterKeys().get(), "keyfleet.secrets.local.master-keys");
        }
        if (mode == LaunchMode.NORMAL) {
            throw new IllegalStateException("No master key for the local secret backend: set KEYFLEET_MASTER_KEY_FILE"
                    + " (keyfleet.secrets.local.master-key-file, a file made by MasterKeyFile) or"
                    + " KEYFLEET_SECRETS_LOCAL_MASTER_KEYS (keyfleet.secrets.local.master-keys, '<version>:<base64 of 32"
                    + " bytes>'), or use keyfleet.secrets.backend=vault");
        }
        boolean created = MasterKeyFile.createIfMissing(DEV_MASTER_KEY_FILE);
        LOG.warnf("""
                
                ************************************************************************************************
                * NO MASTER KEY CONFIGURED: %s mode uses the %s development key file %s.
                * Secrets stored now are only as safe as that file. Never use it outside dev and test: set
                * keyfleet.secrets.local.master-key-file or keyfleet.secrets.local.master-keys.
                ************************************************************************************************""",
                mode.name().toLowerCase(), created ? "newly generated" : "existing", DEV_MASTER_KEY_FILE.toAbsolutePath());
        return MasterKeyFile.read(DEV_MASTER_KEY_FILE);
    }
}
