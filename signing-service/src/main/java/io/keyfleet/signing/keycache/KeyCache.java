package io.keyfleet.signing.keycache;

import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.signing.crypto.RsaKeys;
import io.keyfleet.signing.crypto.RsaProvider;
import io.keyfleet.signing.crypto.RsaSigner;
import io.keyfleet.kit.client.ClientFailure;
import io.keyfleet.keys.api.KeyMaterialApi.KeySummary;
import io.keyfleet.keys.api.ProviderKeyApi.ProviderKeyView;
import io.keyfleet.keys.api.KeyMaterialApi.VersionMaterial;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Keys in memory, by app (tenant, provider, app, environment) and by provider (tenant, provider, environment).
 *
 * <ul>
 *   <li>On first use a key's versions come from the key-version tables (written from key-service's answers), or from
 *       key-service when the tables do not know it yet; a version's private key is fetched from key-service's material
 *       API the first time it signs, parsed once and kept with a reusable signer. Nothing private is ever written
 *       anywhere.</li>
 *   <li>Key events reach every replica ({@link KeyCacheEvents}); each is checked with key-service and a cached key
 *       takes key-service's answer in place, never the event's payload: after a rotation the new version signs at once
 *       (its private key is fetched right away in the background) and the previous one verifies until its grace
 *       ends; a revoked version's private key is dropped.</li>
 *   <li>While key-service is down, cached keys keep signing. If the new version of a rotated key cannot be fetched,
 *       the previous one signs while it is within its grace ({@code keyfleet_signing_key_fallbacks_total}).</li>
 *   <li>Only a CURRENT version (or that fallback) ever signs; a key of one environment never signs for another.</li>
 * </ul>
 */
@ApplicationScoped
public class KeyCache {

    public record AppKeyRef(String tenantId, String provider, String appId, String environment) {
    }

    public record ProviderKeyRef(String tenantId, String provider, String environment) {
    }

    /** The version that signs, and its signer. */
    public record SigningKey(String keyId, int version, RsaSigner signer) {
    }

    private static final Logger LOG = Logger.getLogger(KeyCache.class);

    private final ConcurrentHashMap<AppKeyRef, CachedKey> appKeys = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ProviderKeyRef, CachedKey> providerKeys = new ConcurrentHashMap<>();
    /** Bumped by every key event: a load that read the tables before an event was applied is not kept. */
    private final AtomicLong changes = new AtomicLong();
    private final ExecutorService prefetch = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "keyfleet-key-prefetch");
        t.setDaemon(true);
        return t;
    });

    @Inject
    KeyService keyService;

    @Inject
    RsaProvider rsa;

    private final Counter fetches;
    private final Counter fallbacks;

    @Inject
    public KeyCache(MeterRegistry registry) {
        this.fetches = Counter.builder("keyfleet.signing.key.fetches").description("private keys fetched from key-service").register(registry);
        this.fallbacks = Counter.builder("keyfleet.signing.key.fallbacks")
                .description("signatures made with the previous version because the current one could not be fetched").register(registry);
        io.micrometer.core.instrument.Gauge.builder("keyfleet.signing.keys.cached", appKeys, Map::size)
                .description("app keys held in memory").register(registry);
    }

    @PreDestroy
    void close() {
        prefetch.shutdownNow();
    }

    // ---- signing -------------------------------------------------------------------------------------------------

    public SigningKey signingKey(AppKeyRef ref) {
        CachedKey key = appKey(ref);
        CachedKey.Version current = key.currentVersion();
        if (current == null || !CachedKey.CURRENT.equals(current.state)) {
            throw new ProblemException(409, "KEY_RETIRED", "Key cannot sign", "The " + ref.environment() + " key of app '"
                    + ref.appId() + "' at '" + ref.provider() + "' has no current version: it was revoked.");
        }
        try {
            return new SigningKey(key.keyId, current.number, signer(ref, key, current));
        } catch (ClientFailure e) {
            if (!e.unreachable()) {
                throw refused(ref, current, e);
            }
            Instant now = Instant.now();
            for (CachedKey.Version older : key.newestFirst()) {
                if (older.number < current.number && older.signer != null && older.usable(now)) {
                    fallbacks.increment();
                    return new SigningKey(key.keyId, older.number, older.signer);
                }
            }
            throw new ProblemException(503, "KEY_SERVICE_UNAVAILABLE", "Key not available", "Version " + current.number
                    + " of this key is not in memory yet and key-service cannot be reached; try again shortly.");
        }
    }

    private RsaSigner signer(AppKeyRef ref, CachedKey key, CachedKey.Version version) {
        RsaSigner signer = version.signer;
        if (signer != null) {
            return signer;
        }
        synchronized (version) {
            if (version.signer == null) {
                VersionMaterial material = keyService.material(key.keyId, version.number)
                        .orElseThrow(() -> ClientFailure.notFound("key-service does not know this version"));
                fetches.increment();
                if (!ref.tenantId().equals(material.tenantId()) || !ref.environment().equals(material.environment().name())
                        || !ref.provider().equals(material.provider()) || !ref.appId().equals(material.appId())) {
                    // never sign with a key of another environment (a sandbox key for production) or tenant
                    throw new ProblemException(409, "KEY_MISMATCH", "Key cannot sign", "key-service's material for this version"
                            + " belongs to another app or environment; it is not used.");
                }
                version.signer = new RsaSigner(version.number, RsaKeys.privateKey(material.privateKeyPkcs8()), rsa.provider());
            }
            return version.signer;
        }
    }

    private static ProblemException refused(AppKeyRef ref, CachedKey.Version version, ClientFailure e) {
        if (e.status == 404) {
            return new ProblemException(409, "UNKNOWN_KEY_VERSION", "Key cannot sign", "key-service does not know version "
                    + version.number + " of this key.");
        }
        if (e.status == 409) {
            return new ProblemException(409, "KEY_RETIRED", "Key cannot sign", "key-service refuses the private key of version "
                    + version.number + ": it is revoked, retired, pending or public-only.");
        }
        return new ProblemException(502, "KEY_SERVICE_ERROR", "Key not available", e.getMessage());
    }

    // ---- lookups -------------------------------------------------------------------------------------------------

    public CachedKey appKey(AppKeyRef ref) {
        CachedKey cached = appKeys.get(ref);
        return cached != null ? cached : loadAppKey(ref);
    }

    public CachedKey providerKey(ProviderKeyRef ref) {
        CachedKey cached = providerKeys.get(ref);
        return cached != null ? cached : loadProviderKey(ref);
    }

    private CachedKey loadAppKey(AppKeyRef ref) {
        long seen = changes.get();
        List<KnownKeyVersion> rows = KnownKeyVersion.list("tenantId = ?1 and provider = ?2 and appId = ?3 and environment = ?4",
                ref.tenantId(), ref.provider(), ref.appId(), ref.environment());
        CachedKey key;
        if (!rows.isEmpty()) {
            String keyId = rows.stream().filter(r -> KnownKeyVersion.CURRENT.equals(r.state)).map(r -> r.keyId).findFirst()
                    .orElse(rows.stream().max(Comparator.comparing(r -> r.updatedAt)).orElseThrow().keyId);
            key = new CachedKey(keyId);
            rows.stream().filter(r -> r.keyId.equals(keyId)).forEach(r -> key.put(r.version, r.publicKey, r.state, r.validUntil));
        } else {
            KeySummary summary = ask(() -> keyService.lookup(ref.tenantId(), ref.provider(), ref.appId(), ref.environment()))
                    .orElseThrow(() -> ProblemException.notFound("KEY_NOT_FOUND", "No " + ref.environment() + " key for app '"
                            + ref.appId() + "' at '" + ref.provider() + "'."));
            key = new CachedKey(summary.keyId().toString());
            putAll(key, summary);
        }
        return keep(seen, () -> {
            CachedKey kept = appKeys.putIfAbsent(ref, key);
            return kept != null ? kept : key;
        }, key);
    }

    private CachedKey loadProviderKey(ProviderKeyRef ref) {
        long seen = changes.get();
        List<KnownProviderKeyVersion> rows = KnownProviderKeyVersion.of(ref.tenantId(), ref.provider(), ref.environment());
        CachedKey key;
        if (!rows.isEmpty()) {
            key = new CachedKey(rows.get(rows.size() - 1).providerKeyId);
            rows.stream().filter(r -> r.providerKeyId.equals(key.keyId)).forEach(r -> key.put(r.version, r.publicKey, r.state, r.validUntil));
        } else {
            ProviderKeyView view = ask(() -> keyService.providerKeys(ref.tenantId(), ref.provider(), ref.environment()))
                    .stream().findFirst().orElseThrow(() -> ProblemException.notFound("PROVIDER_KEY_NOT_FOUND", "No " + ref.environment()
                            + " public key of '" + ref.provider() + "' is stored; set it in key-service (PUT /v1/provider-keys)."));
            key = new CachedKey(view.id().toString());
            view.versions().forEach(v -> key.put(v.version(), v.publicKey(), KnownKeyVersion.stateOf(v.state().name()), v.validUntil()));
        }
        return keep(seen, () -> {
            CachedKey kept = providerKeys.putIfAbsent(ref, key);
            return kept != null ? kept : key;
        }, key);
    }

    /** Caches a loaded key only when no key event was applied while it was read; otherwise it serves this call only. */
    private CachedKey keep(long seen, java.util.function.Supplier<CachedKey> install, CachedKey loaded) {
        synchronized (changes) {
            return changes.get() == seen ? install.get() : loaded;
        }
    }

    private static <T> T ask(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ClientFailure e) {
            throw new ProblemException(e.unreachable() ? 503 : 502, "KEY_SERVICE_UNAVAILABLE", "Key not available",
                    "This key is not known here yet and key-service could not be asked: " + e.getMessage());
        }
    }

    /**
     * A safety net for events this replica missed (it reads the cache events from the latest offset, and a consumer
     * can lose its partitions for a while): cached keys are brought up to what the tables say.
     */
    @Scheduled(every = "${keyfleet.signing.key-cache-refresh}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void refreshFromTables() {
        for (CachedKey key : appKeys.values()) {
            List<KnownKeyVersion> rows = KnownKeyVersion.list("keyId", key.keyId);
            synchronized (changes) {
                rows.forEach(r -> key.merge(r.version, r.publicKey, r.state, r.validUntil));
            }
        }
        for (CachedKey key : providerKeys.values()) {
            List<KnownProviderKeyVersion> rows = KnownProviderKeyVersion.list("providerKeyId", key.keyId);
            synchronized (changes) {
                rows.forEach(r -> key.merge(r.version, r.publicKey, r.state, r.validUntil));
            }
        }
    }

    // ---- key events (every replica) ------------------------------------------------------------------------------

    /**
     * key-service's answer on a key a key event named ({@link KeyEventCheck}): a cached key takes it as it is. When it
     * made a new version CURRENT (a rotation), that version's private key is fetched right away in the background.
     */
    void apply(KeyEventCheck.KeyState state) {
        if (state.appKey() != null) {
            applyAppKey(state.tenantId(), state.appKey());
        } else {
            synchronized (changes) {
                changes.incrementAndGet();
                ProviderKeyRef ref = state.providerRef();
                CachedKey key = providerKeys.get(ref);
                if (key != null && !key.keyId.equals(state.providerKey().id())) {
                    providerKeys.remove(ref); // a new key replaced the provider's key: load it afresh on next use
                } else if (key != null) {
                    state.providerKey().versions().forEach(v -> key.put(v.version(), v.publicKey(), KnownKeyVersion.stateOf(v.state().name()), v.validUntil()));
                }
            }
        }
    }

    private void applyAppKey(String tenantId, KeySummary summary) {
        AppKeyRef ref = new AppKeyRef(tenantId, summary.provider(), summary.appId(), summary.environment().name());
        CachedKey key;
        int current;
        synchronized (changes) {
            changes.incrementAndGet();
            key = appKeys.get(ref);
            if (key != null && !key.keyId.equals(summary.keyId())) {
                appKeys.remove(ref); // a new key replaced the app's key: load it afresh on next use
                return;
            }
            if (key == null) {
                return; // loaded from the tables or key-service on first use
            }
            current = key.current;
            putAll(key, summary);
        }
        CachedKey.Version next = key.currentVersion();
        if (next != null && next.number != current && next.signer == null) {
            prefetch.execute(() -> {
                try {
                    signer(ref, key, next);
                } catch (RuntimeException e) {
                    LOG.infof("Could not fetch version %d of key %s ahead of use (%s); it will be fetched on first use",
                            next.number, key.keyId, e.getMessage());
                }
            });
        }
    }

    private static void putAll(CachedKey key, KeySummary summary) {
        summary.announced().forEach(v -> key.put(v.version(), v.publicKey(), KnownKeyVersion.stateOf(v.state().name()), v.validUntil()));
    }

    /** For tests: what the cache holds for an app, if anything. */
    Optional<CachedKey> cached(AppKeyRef ref) {
        return Optional.ofNullable(appKeys.get(ref));
    }
}
