package io.keyfleet.signing.keycache;

import io.keyfleet.events.KeyCreated;
import io.keyfleet.events.KeyRevoked;
import io.keyfleet.events.KeyRotated;
import io.keyfleet.events.ProviderKeyUpdated;
import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.signing.crypto.RsaKeys;
import io.keyfleet.signing.crypto.RsaProvider;
import io.keyfleet.signing.crypto.RsaSigner;
import io.keyfleet.signing.keycache.KeyServiceClient.KeyServiceException;
import io.keyfleet.signing.keycache.KeyServiceClient.VersionMaterial;
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
 *   <li>On first use a key's versions come from the key-version tables (fed by key events), or from key-service when
 *       the tables do not know it yet; a version's private key is fetched from key-service's material API the first
 *       time it signs, parsed once and kept with a reusable signer. Nothing private is ever written anywhere.</li>
 *   <li>Key events reach every replica ({@link KeyCacheEvents}) and change cached keys in place: KeyRotated makes the
 *       new version the signing version at once (its private key is fetched right away in the background) and keeps
 *       the previous one for verification until its grace ends; KeyRevoked drops the private key.</li>
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
    private final ConcurrentHashMap<String, AppKeyRef> appRefsByKeyId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ProviderKeyRef, CachedKey> providerKeys = new ConcurrentHashMap<>();
    /** Bumped by every key event: a load that read the tables before an event was applied is not kept. */
    private final AtomicLong changes = new AtomicLong();
    private final ExecutorService prefetch = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "keyfleet-key-prefetch");
        t.setDaemon(true);
        return t;
    });

    @Inject
    KeyServiceClient keyService;

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
        } catch (KeyServiceException e) {
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
                        .orElseThrow(() -> new KeyServiceException(404, "key-service does not know this version"));
                fetches.increment();
                if (!ref.tenantId().equals(material.tenantId()) || !ref.environment().equals(material.environment())
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

    private static ProblemException refused(AppKeyRef ref, CachedKey.Version version, KeyServiceException e) {
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
            KeyServiceClient.KeySummary summary = ask(() -> keyService.lookup(ref.tenantId(), ref.provider(), ref.appId(), ref.environment()))
                    .orElseThrow(() -> ProblemException.notFound("KEY_NOT_FOUND", "No " + ref.environment() + " key for app '"
                            + ref.appId() + "' at '" + ref.provider() + "'."));
            key = new CachedKey(summary.keyId());
            summary.versions().forEach(v -> key.put(v.version(), v.publicKey(), v.state(), v.validUntil()));
        }
        return keep(seen, () -> {
            CachedKey kept = appKeys.putIfAbsent(ref, key);
            appRefsByKeyId.put(key.keyId, ref);
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
            KeyServiceClient.ProviderKeyView view = ask(() -> keyService.providerKeys(ref.tenantId(), ref.provider(), ref.environment()))
                    .stream().findFirst().orElseThrow(() -> ProblemException.notFound("PROVIDER_KEY_NOT_FOUND", "No " + ref.environment()
                            + " public key of '" + ref.provider() + "' is stored; set it in key-service (PUT /v1/provider-keys)."));
            key = new CachedKey(view.id());
            view.versions().forEach(v -> key.put(v.version(), v.publicKey(), v.state(), v.validUntil()));
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
        } catch (KeyServiceException e) {
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

    void created(String tenantId, KeyCreated event) {
        synchronized (changes) {
            changes.incrementAndGet();
            AppKeyRef ref = new AppKeyRef(tenantId, event.provider(), event.appId(), event.environment());
            CachedKey key = appKeys.get(ref);
            if (key != null && key.keyId.equals(event.keyId())) {
                key.put(event.version(), event.publicKey(), CachedKey.CURRENT, null);
            } else if (key != null) {
                appKeys.remove(ref); // a new key replaced the app's key: load it afresh on next use
            }
        }
    }

    void rotated(KeyRotated event) {
        CachedKey key;
        AppKeyRef ref;
        synchronized (changes) {
            changes.incrementAndGet();
            ref = appRefsByKeyId.get(event.keyId());
            key = ref == null ? null : appKeys.get(ref);
            if (key == null) {
                return;
            }
            CachedKey.Version previous = key.version(event.previousVersion());
            if (previous != null) {
                previous.state = CachedKey.PREVIOUS;
                previous.validUntil = event.previousValidUntil();
            }
            key.put(event.newVersion(), event.publicKey(), CachedKey.CURRENT, null);
        }
        CachedKey.Version next = key.version(event.newVersion());
        AppKeyRef cachedRef = ref;
        CachedKey cachedKey = key;
        prefetch.execute(() -> {
            try {
                signer(cachedRef, cachedKey, next);
            } catch (RuntimeException e) {
                LOG.infof("Could not fetch version %d of key %s ahead of use (%s); it will be fetched on first use",
                        event.newVersion(), event.keyId(), e.getMessage());
            }
        });
    }

    void revoked(KeyRevoked event) {
        synchronized (changes) {
            changes.incrementAndGet();
            AppKeyRef ref = appRefsByKeyId.get(event.keyId());
            CachedKey key = ref == null ? null : appKeys.get(ref);
            if (key == null) {
                return;
            }
            key.versions.values().stream().filter(v -> event.allVersions() || v.number == event.version()).forEach(v -> {
                v.state = CachedKey.REVOKED;
                v.signer = null;
            });
        }
    }

    void providerKeyUpdated(String tenantId, ProviderKeyUpdated event) {
        synchronized (changes) {
            changes.incrementAndGet();
            ProviderKeyRef ref = new ProviderKeyRef(tenantId, event.provider(), event.environment());
            CachedKey key = providerKeys.get(ref);
            if (key == null) {
                return;
            }
            if (!key.keyId.equals(event.providerKeyId())) {
                providerKeys.remove(ref);
                return;
            }
            if (event.previousVersion() != null) {
                CachedKey.Version previous = key.version(event.previousVersion());
                if (previous != null) {
                    previous.state = CachedKey.PREVIOUS;
                    previous.validUntil = event.previousValidUntil();
                }
            }
            key.put(event.version(), event.publicKey(), CachedKey.CURRENT, null);
        }
    }

    /** For tests: what the cache holds for an app, if anything. */
    Optional<CachedKey> cached(AppKeyRef ref) {
        return Optional.ofNullable(appKeys.get(ref));
    }
}
