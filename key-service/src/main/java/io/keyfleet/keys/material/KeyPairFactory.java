package io.keyfleet.keys.material;

import io.keyfleet.kit.crypto.CryptoProviders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.spec.ECGenParameterSpec;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Generates key pairs. RSA goes through Amazon Corretto Crypto Provider when its native library loads (it is
 * asked for explicitly, never installed as a global provider, so TLS and everything else keep the JDK's
 * behaviour); EC and Ed25519 use the JDK.
 *
 * <p>RSA-2048, the default, costs around 100 ms even so, so up to {@code keyfleet.keys.pool.size} pairs are kept
 * ready in memory (never persisted) and refilled by one low-priority daemon thread after startup and after each
 * take. 0 disables the pool.
 */
@ApplicationScoped
public class KeyPairFactory implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KeyPairFactory.class);

    private final Provider rsaProvider; // null: the JDK's
    private final String rsaProviderName;
    private final ArrayBlockingQueue<KeyMaterial> pool; // null: no pool
    private final Object refillSignal = new Object();
    private final Counter hits;
    private final Counter misses;
    private volatile boolean closed;
    private Thread refill; // guarded by this

    @Inject
    public KeyPairFactory(MeterRegistry registry, KeyPoolConfig config) {
        this(registry, config.size(), true);
    }

    /** {@code accpEnabled = false} for comparisons with the JDK provider. */
    KeyPairFactory(MeterRegistry registry, int poolSize, boolean accpEnabled) {
        if (poolSize < 0) {
            throw new IllegalArgumentException("keyfleet.keys.pool.size must be 0 or more, was " + poolSize);
        }
        this.rsaProvider = accpEnabled ? CryptoProviders.accp().orElse(null) : null;
        this.rsaProviderName = rsaProvider != null ? rsaProvider.getName() : jdkProviderName("RSA");
        this.pool = poolSize == 0 ? null : new ArrayBlockingQueue<>(poolSize);
        this.hits = Counter.builder("keyfleet.keys.pool.hits")
                .description("RSA-2048 pairs served from the pre-generated pool").register(registry);
        this.misses = Counter.builder("keyfleet.keys.pool.misses")
                .description("RSA-2048 pairs generated inline because the pool was empty").register(registry);
        Gauge.builder("keyfleet.keys.pool.ready", this, KeyPairFactory::ready)
                .description("RSA-2048 pairs ready in the pool").register(registry);
        LOG.infof("RSA key generation uses %s%s; RSA-2048 pool size %d", rsaProviderName,
                rsaProvider == null && accpEnabled ? " (Amazon Corretto Crypto Provider not available)" : "", poolSize);
    }

    /** ACCP when available, a pool of that size, not started. */
    KeyPairFactory(int poolSize, MeterRegistry registry) {
        this(registry, poolSize, true);
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Starts filling the pool; a no-op without a pool or when already started. */
    synchronized void start() {
        if (pool == null || refill != null || closed) {
            return;
        }
        refill = new Thread(this::refillLoop, "keyfleet-key-pool");
        refill.setDaemon(true);
        refill.setPriority(Thread.MIN_PRIORITY);
        refill.start();
    }

    public KeyMaterial generate(KeyAlgorithm algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        if (algorithm == KeyAlgorithm.RSA_2048 && pool != null) {
            KeyMaterial ready = pool.poll();
            if (ready != null) {
                hits.increment();
                synchronized (refillSignal) {
                    refillSignal.notifyAll();
                }
                return ready;
            }
            misses.increment();
        }
        return generateNow(algorithm);
    }

    /** The JCA provider that generates keys of this algorithm, e.g. "AmazonCorrettoCryptoProvider", "SunEC". */
    public String providerName(KeyAlgorithm algorithm) {
        return algorithm.isRsa() ? rsaProviderName : jdkProviderName(algorithm.family());
    }

    int ready() {
        return pool == null ? 0 : pool.size();
    }

    boolean refillRunning() {
        Thread t;
        synchronized (this) {
            t = refill;
        }
        return t != null && t.isAlive();
    }

    @PreDestroy
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = refill;
        }
        if (t != null) {
            synchronized (refillSignal) {
                refillSignal.notifyAll();
            }
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(10)); // at most one generation in progress
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (pool != null) {
            pool.clear();
        }
    }

    private void refillLoop() {
        try {
            while (!closed) {
                synchronized (refillSignal) {
                    while (!closed && pool.remainingCapacity() == 0) {
                        refillSignal.wait();
                    }
                }
                if (closed) {
                    return;
                }
                try {
                    KeyMaterial pair = generateNow(KeyAlgorithm.RSA_2048);
                    if (!closed) {
                        pool.offer(pair);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("could not pre-generate an RSA-2048 key pair; retrying in 5 s", e);
                    Thread.sleep(5_000);
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    private KeyMaterial generateNow(KeyAlgorithm algorithm) {
        try {
            KeyPairGenerator generator;
            if (algorithm.isRsa()) {
                generator = rsaProvider != null
                        ? KeyPairGenerator.getInstance("RSA", rsaProvider) : KeyPairGenerator.getInstance("RSA");
                generator.initialize(algorithm.keySize());
            } else if (algorithm == KeyAlgorithm.EC_P256) {
                generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator = KeyPairGenerator.getInstance("Ed25519");
            }
            KeyPair pair = generator.generateKeyPair();
            return KeyMaterial.of(algorithm, pair.getPublic(), pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key pair", e);
        }
    }

    private static String jdkProviderName(String algorithm) {
        try {
            return KeyPairGenerator.getInstance(algorithm).getProvider().getName();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
