package io.keyfleet.keys.secret;

import io.quarkus.vault.client.VaultClient;
import io.quarkus.vault.client.VaultClientException;
import io.quarkus.vault.client.api.common.VaultAuthResult;
import io.quarkus.vault.client.api.common.VaultLeasedResult;
import io.quarkus.vault.client.api.secrets.kv2.VaultSecretsKV2;
import io.quarkus.vault.client.api.secrets.kv2.VaultSecretsKV2ReadSecretData;
import io.quarkus.vault.client.api.secrets.kv2.VaultSecretsKV2ReadSecretDataMetadata;
import io.quarkus.vault.client.api.secrets.kv2.VaultSecretsKV2UpdateSecretOptions;
import io.quarkus.vault.client.api.secrets.kv2.VaultSecretsKV2UpdateSecretParams;
import io.quarkus.vault.client.api.sys.health.VaultSysHealthInfoResult;
import io.quarkus.vault.client.auth.VaultKubernetesAuthOptions;
import io.quarkus.vault.client.common.VaultLeasedResultExtractor;
import io.quarkus.vault.client.common.VaultRequest;
import io.quarkus.vault.client.http.jdk.JDKVaultHttpClient;
import java.net.http.HttpClient;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The {@code vault} backend: HashiCorp Vault's KV version 2 engine, one Vault secret per path, Vault's version numbers
 * are ours. Writes use {@code cas = version - 1}; the value is {@code {"value": "<base64 of the secret>"}}.
 *
 * <p>Why the quarkus-vault <em>client</em> ({@code io.quarkus.vault.client}, shipped with the quarkus-vault 4.7.0
 * extension) and not the extension's {@code VaultKVSecretEngine}: that engine reads and writes only the latest
 * version and has no {@code cas} and no destroy. And the client is built here from {@code keyfleet.secrets.vault.*}
 * instead of injected from {@code quarkus.vault.*}, so that nothing of the extension is configured — and nothing
 * contacts Vault, at build time or at startup — unless {@code keyfleet.secrets.backend=vault}. Even then startup makes
 * no call (Kubernetes login happens on the first request); readiness reports whether Vault answers.
 *
 * <p>Operators: give the KV mount (or these paths) {@code max_versions} above the number of key versions you keep —
 * Vault's default of 10 silently drops older versions.
 */
public class VaultSecretStore implements SecretStore {

    static final String CAS_MISMATCH = "check-and-set parameter did not match";

    private final VaultClient client;
    private final VaultSecretsKV2 kv;
    private final String mount;

    public VaultSecretStore(VaultClient client, String kvMount) {
        this.client = client;
        this.mount = kvMount;
        this.kv = client.secrets().kv2(kvMount);
    }

    /** Builds the client from configuration; throws with a one-line message when the configuration is incomplete. */
    public static VaultSecretStore create(SecretsConfig.Vault config) {
        String url = config.url().orElseThrow(() -> new IllegalStateException("keyfleet.secrets.backend=vault needs"
                + " keyfleet.secrets.vault.url (env KEYFLEET_SECRETS_VAULT_URL)"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build();
        VaultClient.Builder builder = VaultClient.builder()
                .baseUrl(url)
                .executor(new JDKVaultHttpClient(http))
                .requestTimeout(config.requestTimeout());
        if (config.token().isPresent()) {
            builder.clientToken(config.token().get());
        } else if (config.kubernetes().role().isPresent()) {
            builder.kubernetes(VaultKubernetesAuthOptions.builder()
                    .mountPath(config.kubernetes().authMount())
                    .role(config.kubernetes().role().get())
                    .jwtTokenPath(config.kubernetes().jwtPath())
                    .build());
        } else {
            throw new IllegalStateException("keyfleet.secrets.backend=vault needs keyfleet.secrets.vault.token (env"
                    + " KEYFLEET_SECRETS_VAULT_TOKEN) or keyfleet.secrets.vault.kubernetes.role for Kubernetes auth");
        }
        return new VaultSecretStore(builder.build(), config.kvMount());
    }

    @Override
    public void put(String path, int version, byte[] secret) {
        SecretPaths.check(path, version);
        SecretPaths.checkSecret(secret);
        // JSON carries the secret as a String, which cannot be zeroed; Vault's API leaves no other way
        Map<String, Object> data = Map.of("value", Base64.getEncoder().encodeToString(secret));
        // built by hand rather than with kv.updateSecret(..): that maps the answer's "data" (the new version's
        // metadata) onto a {data, metadata} pair and so loses the version number we want to check
        VaultRequest<WriteResult> write = VaultRequest.<WriteResult>post("[SECRETS (kv2)] Write Secret Version")
                .path(mount, "data", path)
                .body(new VaultSecretsKV2UpdateSecretParams()
                        .setOptions(new VaultSecretsKV2UpdateSecretOptions().setCas(version - 1))
                        .setData(data))
                .expectOkStatus()
                .build(VaultLeasedResultExtractor.of(WriteResult.class));
        WriteResult written;
        try {
            written = await(client.execute(write)).getResult();
        } catch (VaultClientException e) {
            if (e.getStatus() != null && e.getStatus() == 400 && e.hasErrorContaining(CAS_MISMATCH)) {
                throw new SecretVersionConflictException(path, version);
            }
            throw failure("write", path, version, e);
        }
        Integer stored = written == null || written.getData() == null ? null : written.getData().getVersion();
        if (stored == null || stored != version) {
            throw new SecretStoreException("Vault stored '" + path + "' as version " + stored + " instead of " + version);
        }
    }

    /** The answer to a KV v2 write: {@code data} is the new version's metadata. */
    public static class WriteResult extends VaultLeasedResult<VaultSecretsKV2ReadSecretDataMetadata, VaultAuthResult<Object>> {
    }

    @Override
    public byte[] get(String path, int version) {
        SecretPaths.check(path, version);
        VaultSecretsKV2ReadSecretData read;
        try {
            read = await(kv.readSecret(path, version));
        } catch (VaultClientException e) {
            if (e.getStatus() != null && e.getStatus() == 404) {
                // absent path or version, and also deleted or destroyed versions (404 with metadata in the body)
                throw new SecretNotFoundException(path, version);
            }
            throw failure("read", path, version, e);
        }
        if (read == null || read.getData() == null || !(read.getData().get("value") instanceof String value)
                || read.getMetadata() == null || read.getMetadata().getVersion() == null) {
            throw new SecretNotFoundException(path, version);
        }
        if (read.getMetadata().getVersion() != version) {
            throw new SecretStoreException("Vault answered '" + path + "' version " + version + " with version "
                    + read.getMetadata().getVersion());
        }
        return Base64.getDecoder().decode(value);
    }

    @Override
    public void destroy(String path, int version) {
        SecretPaths.check(path, version);
        try {
            await(kv.destroySecretVersions(path, List.of(version)));
        } catch (VaultClientException e) {
            if (e.getStatus() != null && e.getStatus() == 404) {
                return;
            }
            throw failure("destroy", path, version, e);
        }
    }

    @Override
    public String backend() {
        return "vault";
    }

    /** {@code GET /v1/sys/health}: answers, initialized, unsealed, active (a standby forwards requests, so it also counts). */
    Map<String, Object> health() {
        VaultSysHealthInfoResult health = await(client.sys().health().info());
        if (!Boolean.TRUE.equals(health.isInitialized()) || !Boolean.FALSE.equals(health.isSealed())) {
            throw new SecretStoreException("Vault at " + client.getBaseUrl() + " is "
                    + (Boolean.TRUE.equals(health.isSealed()) ? "sealed" : "not initialized"));
        }
        return Map.of("url", String.valueOf(client.getBaseUrl()), "kvMount", mount,
                "vaultVersion", String.valueOf(health.getVersion()), "standby", Boolean.TRUE.equals(health.isStandby()));
    }

    private SecretStoreException failure(String operation, String path, int version, VaultClientException e) {
        return new SecretStoreException("Vault " + operation + " of '" + path + "' version " + version + " failed: status "
                + e.getStatus() + " " + e.getErrors(), e);
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof VaultClientException vault) {
                throw vault;
            }
            throw new SecretStoreException("Vault request failed: " + cause, cause);
        }
    }
}
