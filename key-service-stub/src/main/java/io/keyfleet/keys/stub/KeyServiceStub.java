package io.keyfleet.keys.stub;

import io.keyfleet.auth.VerificationCode;
import io.keyfleet.keys.api.AppCertificateApi;
import io.keyfleet.keys.api.AppSecretMaterialApi;
import io.keyfleet.keys.api.AppSecretType;
import io.keyfleet.keys.api.CredentialVerifyApi;
import io.keyfleet.keys.api.Environment;
import io.keyfleet.keys.api.KeyMaterialApi;
import io.keyfleet.keys.api.KeyState;
import io.keyfleet.keys.api.KeyVersionView;
import io.keyfleet.keys.api.PoolSecretApi;
import io.keyfleet.keys.api.ProviderCertificateApi;
import io.keyfleet.keys.api.ProviderKeyApi;
import io.keyfleet.keys.api.Verification;
import io.keyfleet.keys.stub.StubServer.StubProblem;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process key-service for other modules' tests and for benchmarks that isolate one service: it implements
 * key-service-api's interfaces over keys, secrets and certificates held in memory, and {@link #serve} puts it on real HTTP
 * through {@link StubServer}, which takes paths and parameters from the same interfaces, so it answers exactly where and in
 * the shape key-service does (key-service's ApiContractIT pins that shape). Its rules are key-service's, simplified:
 * material only for CURRENT and PREVIOUS versions (409 VERSION_NOT_USABLE otherwise), 404 for what it does not hold,
 * secrets served while usable, every request refused without the service key it was given.
 */
public class KeyServiceStub implements KeyMaterialApi, AppSecretMaterialApi, ProviderKeyApi, ProviderCertificateApi, AppCertificateApi,
        PoolSecretApi, CredentialVerifyApi, AutoCloseable {

    /** One app key version the stub holds. */
    public record AppKeyVersion(UUID keyId, String tenantId, String provider, String appId, Environment environment, int version,
                                KeyState state, KeyPair pair, Instant validUntil) {
        AppKeyVersion withState(KeyState newState, Instant newValidUntil) {
            return new AppKeyVersion(keyId, tenantId, provider, appId, environment, version, newState, pair, newValidUntil);
        }
    }

    /** One version of an app secret (an AES content key, an HMAC secret). */
    public record AppSecretVersion(UUID secretId, String tenantId, String provider, String appId, Environment environment,
                                   AppSecretType type, int version, KeyState state, byte[] secret, Instant validUntil) {
        boolean usable() {
            return state == KeyState.CURRENT || (state == KeyState.PREVIOUS && validUntil != null && validUntil.isAfter(Instant.now()));
        }
    }

    /** One version of a provider's public key. */
    public record ProviderKeyVersion(UUID providerKeyId, String tenantId, String provider, Environment environment, int version,
                                     KeyState state, KeyPair pair, Instant validUntil) {
    }

    private final Map<String, AppKeyVersion> keyVersions = new ConcurrentHashMap<>();
    private final Map<String, AppSecretVersion> secretVersions = new ConcurrentHashMap<>();
    private final Map<String, ProviderKeyVersion> providerKeyVersions = new ConcurrentHashMap<>();
    private final Map<String, ProviderCertificateView> providerCertificates = new ConcurrentHashMap<>();
    private final Map<UUID, Map<Integer, String>> appCertificates = new ConcurrentHashMap<>();
    private final Map<String, String> poolSecrets = new ConcurrentHashMap<>();
    private final Map<String, Verification> verifications = new ConcurrentHashMap<>();
    private final AtomicInteger materialReads = new AtomicInteger();
    private final AtomicInteger secretReads = new AtomicInteger();
    private final AtomicInteger certificateReads = new AtomicInteger();
    private StubServer server;

    /** Serves this stub on {@code port} (0: any free loopback port), for callers that send {@code Bearer <serviceKey>}. */
    public synchronized KeyServiceStub serve(String serviceKey, int port) {
        server = new StubServer(this, serviceKey, port);
        return this;
    }

    public String url() {
        return server.url();
    }

    /** key-service goes down: nothing listens on its port until {@link #restart()}. */
    public synchronized void stop() {
        server.close();
    }

    public synchronized void restart() {
        server.restart();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }

    // --- what the stub holds -----------------------------------------------------------------------------------------

    /** A new CURRENT version of a key, as a rotation makes it: the key's CURRENT version becomes PREVIOUS for an hour. */
    public AppKeyVersion addKeyVersion(UUID keyId, String tenantId, String provider, String appId, Environment environment, int version,
                                       KeyPair pair) {
        keyVersions.replaceAll((id, v) -> v.keyId().equals(keyId) && v.state() == KeyState.CURRENT
                ? v.withState(KeyState.PREVIOUS, Instant.now().plus(Duration.ofHours(1))) : v);
        AppKeyVersion v = new AppKeyVersion(keyId, tenantId, provider, appId, environment, version, KeyState.CURRENT, pair, null);
        keyVersions.put(keyId + "/" + version, v);
        return v;
    }

    /** Revokes the whole key, as key-service does: every version RETIRED. */
    public void revokeKey(UUID keyId) {
        keyVersions.replaceAll((id, v) -> v.keyId().equals(keyId) ? v.withState(KeyState.RETIRED, v.validUntil()) : v);
    }

    /** A new CURRENT version of an app secret: the CURRENT one becomes PREVIOUS for {@code grace}. */
    public void addSecretVersion(UUID secretId, String tenantId, String provider, String appId, Environment environment, AppSecretType type,
                                 int version, byte[] secret, Duration grace) {
        secretVersions.replaceAll((id, v) -> v.secretId().equals(secretId) && v.state() == KeyState.CURRENT
                ? new AppSecretVersion(v.secretId(), v.tenantId(), v.provider(), v.appId(), v.environment(), v.type(), v.version(),
                KeyState.PREVIOUS, v.secret(), Instant.now().plus(grace)) : v);
        secretVersions.put(secretId + "/" + version, new AppSecretVersion(secretId, tenantId, provider, appId, environment, type, version,
                KeyState.CURRENT, secret.clone(), null));
    }

    /** Ends a version of an app secret, as key-service's revoke does. */
    public void retireSecretVersion(UUID secretId, int version) {
        secretVersions.computeIfPresent(secretId + "/" + version, (id, v) -> new AppSecretVersion(v.secretId(), v.tenantId(),
                v.provider(), v.appId(), v.environment(), v.type(), v.version(), KeyState.RETIRED, v.secret(), v.validUntil()));
    }

    /** A new CURRENT version of a provider's public key; the CURRENT one becomes PREVIOUS for an hour. */
    public void addProviderKeyVersion(UUID providerKeyId, String tenantId, String provider, Environment environment, int version, KeyPair pair) {
        providerKeyVersions.replaceAll((id, v) -> v.providerKeyId().equals(providerKeyId) && v.state() == KeyState.CURRENT
                ? new ProviderKeyVersion(v.providerKeyId(), v.tenantId(), v.provider(), v.environment(), v.version(), KeyState.PREVIOUS,
                v.pair(), Instant.now().plus(Duration.ofHours(1))) : v);
        providerKeyVersions.put(providerKeyId + "/" + version,
                new ProviderKeyVersion(providerKeyId, tenantId, provider, environment, version, KeyState.CURRENT, pair, null));
    }

    /** A provider's certificates (Alipay certificate mode) for a tenant and environment, as PEM. */
    public void putProviderCertificates(String tenantId, String provider, Environment environment, String certificatePem, String rootPem) {
        providerCertificates.put(tenantId + "/" + provider + "/" + environment, new ProviderCertificateView(UUID.randomUUID(), provider,
                environment, null, List.of(), List.of(), certificatePem, rootPem, Instant.now()));
    }

    /** An app key version's public-key certificate, as PEM. */
    public void putAppCertificate(UUID keyId, int keyVersion, String certificatePem) {
        appCertificates.computeIfAbsent(keyId, id -> new ConcurrentHashMap<>()).put(keyVersion, certificatePem);
    }

    /** What {@link #verify} answers for this API key (anything else: NOT_FOUND). */
    public void putVerification(String apiKey, Verification verification) {
        verifications.put(apiKey, verification);
    }

    /** Whether some pool secret version holds exactly this secret. */
    public boolean holdsPoolSecret(String secret) {
        return poolSecrets.containsValue(secret);
    }

    public int materialReads() {
        return materialReads.get();
    }

    public int secretReads() {
        return secretReads.get();
    }

    public int certificateReads() {
        return certificateReads.get();
    }

    // --- key-service-api ----------------------------------------------------------------------------------------------

    @Override
    public KeySummary lookup(String tenantId, String provider, String appId, Environment environment) {
        return summary(keyVersions.values().stream().filter(v -> v.tenantId().equals(tenantId) && v.provider().equals(provider)
                && v.appId().equals(appId) && v.environment() == environment).toList());
    }

    @Override
    public KeySummary byId(UUID keyId) {
        return summary(keyVersions.values().stream().filter(v -> v.keyId().equals(keyId)).toList());
    }

    @Override
    public VersionMaterial material(UUID keyId, int version) {
        AppKeyVersion v = keyVersions.get(keyId + "/" + version);
        if (v == null) {
            throw new StubProblem(404, "VERSION_NOT_FOUND", "Key " + keyId + " has no version " + version + ".");
        }
        if (v.state() != KeyState.CURRENT && v.state() != KeyState.PREVIOUS) {
            throw new StubProblem(409, "VERSION_NOT_USABLE", "version " + version + " is " + v.state());
        }
        materialReads.incrementAndGet();
        return new VersionMaterial(v.keyId(), v.tenantId(), v.provider(), v.appId(), v.environment(), v.version(), v.state(), "RSA2048",
                fingerprint(v.pair()), publicKey(v.pair()), Base64.getEncoder().encodeToString(v.pair().getPrivate().getEncoded()),
                v.validUntil());
    }

    @Override
    public SecretMaterial appSecret(String tenantId, String provider, String appId, Environment environment, AppSecretType type) {
        List<AppSecretVersion> versions = secretVersions.values().stream().filter(v -> v.tenantId().equals(tenantId)
                && v.provider().equals(provider) && v.appId().equals(appId) && v.environment() == environment && v.type() == type)
                .sorted(Comparator.comparingInt(AppSecretVersion::version)).toList();
        if (versions.isEmpty()) {
            throw new StubProblem(404, "SECRET_NOT_FOUND", "No " + environment + " " + type + " secret for app '" + appId + "'.");
        }
        secretReads.incrementAndGet();
        AppSecretVersion any = versions.get(0);
        return new SecretMaterial(any.secretId(), any.tenantId(), any.provider(), any.appId(), any.environment(), any.type(),
                versions.stream().filter(v -> v.state() == KeyState.CURRENT).mapToInt(AppSecretVersion::version).max().orElse(0),
                versions.stream().filter(AppSecretVersion::usable).map(v -> new SecretVersionMaterial(v.version(), v.state(),
                        v.validUntil(), Base64.getEncoder().encodeToString(v.secret()))).toList());
    }

    @Override
    public List<ProviderKeyView> providerKeys(String tenant, String provider, Environment environment) {
        Map<UUID, List<ProviderKeyVersion>> byKey = new TreeMap<>();
        providerKeyVersions.values().stream().filter(v -> v.tenantId().equals(tenant) && (provider == null || v.provider().equals(provider))
                        && (environment == null || v.environment() == environment))
                .forEach(v -> byKey.computeIfAbsent(v.providerKeyId(), id -> new ArrayList<>()).add(v));
        return byKey.entrySet().stream().map(key -> new ProviderKeyView(key.getKey(), key.getValue().get(0).provider(),
                key.getValue().get(0).environment(),
                key.getValue().stream().filter(v -> v.state() == KeyState.CURRENT).mapToInt(ProviderKeyVersion::version).max().orElse(0),
                Duration.ofHours(1), key.getValue().stream().sorted(Comparator.comparingInt(ProviderKeyVersion::version))
                .map(v -> new ProviderKeyVersionView(v.version(), v.state(), "RSA2048", fingerprint(v.pair()), publicKey(v.pair()),
                        Instant.now(), v.validUntil())).toList())).toList();
    }

    @Override
    public List<ProviderCertificateView> providerCertificates(String tenant, String provider, Environment environment) {
        certificateReads.incrementAndGet();
        ProviderCertificateView held = providerCertificates.get(tenant + "/" + provider + "/" + environment);
        return held == null ? List.of() : List.of(held);
    }

    @Override
    public List<AppCertificateView> appCertificates(String tenant, UUID keyId) {
        if (keyVersions.values().stream().noneMatch(v -> v.keyId().equals(keyId) && v.tenantId().equals(tenant))) {
            throw new StubProblem(404, "KEY_NOT_FOUND", "No key '" + keyId + "'.");
        }
        return appCertificates.getOrDefault(keyId, Map.of()).entrySet().stream()
                .map(e -> new AppCertificateView(keyId, e.getKey(), null, null, e.getValue(), Instant.now())).toList();
    }

    /** Stores a version of a pool's secret; 409 SECRET_VERSION_CONFLICT when that version is already stored. */
    @Override
    public void put(String tenant, String poolId, PutSecret request) {
        if (poolSecrets.putIfAbsent(tenant + "/" + poolId + "/" + request.version(), request.secret()) != null) {
            throw new StubProblem(409, "SECRET_VERSION_CONFLICT", "Version " + request.version() + " is already stored.");
        }
    }

    @Override
    public SecretView get(String tenant, String poolId, Integer version) {
        String secret = poolSecrets.get(tenant + "/" + poolId + "/" + version);
        if (secret == null) {
            throw new StubProblem(404, "POOL_SECRET_NOT_FOUND", "Pool " + poolId + " has no secret version " + version + ".");
        }
        return new SecretView(poolId, version, secret);
    }

    @Override
    public void delete(String tenant, String poolId, Integer version) {
        poolSecrets.remove(tenant + "/" + poolId + "/" + version);
    }

    @Override
    public Verification verify(VerifyRequest request, String cacheControl) {
        Verification held = request.apiKey() == null ? null : verifications.get(request.apiKey());
        return Objects.requireNonNullElseGet(held, () -> new Verification(false, VerificationCode.NOT_FOUND, "No such credential.",
                null, null, null, null));
    }

    private static KeySummary summary(List<AppKeyVersion> versions) {
        if (versions.isEmpty()) {
            throw new StubProblem(404, "KEY_NOT_FOUND", "No such key.");
        }
        AppKeyVersion any = versions.get(0);
        return new KeySummary(any.keyId(), any.tenantId(), any.provider(), any.appId(), any.environment(),
                versions.stream().filter(v -> v.state() == KeyState.CURRENT).mapToInt(AppKeyVersion::version).max().orElse(0),
                versions.stream().sorted(Comparator.comparingInt(AppKeyVersion::version)).map(v -> new KeyVersionView(v.version(), v.state(),
                        "RSA2048", fingerprint(v.pair()), publicKey(v.pair()), true, Instant.now(), null, v.validUntil(), null)).toList());
    }

    /** SHA-256 hex of the SubjectPublicKeyInfo DER, as key-service computes it. */
    public static String fingerprint(KeyPair pair) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pair.getPublic().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String publicKey(KeyPair pair) {
        return Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
