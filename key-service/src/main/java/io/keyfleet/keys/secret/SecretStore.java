package io.keyfleet.keys.secret;

/**
 * The one port to secret material (private keys, one-time keys). Two adapters: {@code local} (envelope encryption in
 * key-service's own database, the default) and {@code vault} (HashiCorp Vault KV v2), chosen by
 * {@code keyfleet.secrets.backend}; just {@code @Inject SecretStore}.
 *
 * <p>Paths look like {@code tenants/<tenantId>/keys/<keyId>}: characters {@code [a-zA-Z0-9_./-]}, segments separated
 * by single slashes, no empty, {@code .} or {@code ..} segment. Versions start at 1 and map to key versions.
 *
 * <p>Transactions: the {@code local} adapter joins the caller's JTA transaction (a secret written in a transaction
 * that rolls back is gone too); the {@code vault} adapter cannot, so write the secret before committing the rows
 * that point to it, and let a retry with the same version fail with {@link SecretVersionConflictException}.
 */
public interface SecretStore {

    /**
     * Stores version {@code version} of the secret at {@code path}; version must be exactly the latest stored version
     * + 1 (1 for a new path) — compare-and-set, else {@link SecretVersionConflictException}. Destroyed versions still
     * count as stored.
     */
    void put(String path, int version, byte[] secret);

    /** The bytes of that version; {@link SecretNotFoundException} if absent or destroyed. Caller zeroes the array when done. */
    byte[] get(String path, int version);

    /** Destroys one version irrecoverably (retired keys, used one-time keys). Idempotent; an absent version is a no-op. */
    void destroy(String path, int version);

    /** "local" or "vault". */
    String backend();
}
