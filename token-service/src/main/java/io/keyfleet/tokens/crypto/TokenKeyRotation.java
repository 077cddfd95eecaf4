package io.keyfleet.tokens.crypto;

import io.keyfleet.tokens.grant.Grant;
import io.keyfleet.tokens.support.TokensConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Rotation of the token keys: stored tokens move to the active key in the background, so that an older key can be
 * removed from the configuration once no grant is under it.
 *
 * <ul>
 * <li>{@link #reencrypt} (every {@code keyfleet.tokens.reencryption.interval} on each replica, from RefreshScheduler):
 * grants under another configured key are taken {@code batch-size} at a time, in id order, with
 * {@code FOR UPDATE SKIP LOCKED} (replicas share the work; a grant being stored by a refresh is left for the next pass),
 * and their tokens are decrypted and encrypted again under the active key in the same short transaction. A grant whose
 * tokens do not decrypt is left as it is, logged by id and counted.</li>
 * <li>Progress: {@code keyfleet_tokens_grants_by_key{key}} (grants holding tokens, per key, counted after each pass),
 * {@code keyfleet_tokens_reencrypted_total}, {@code keyfleet_tokens_reencryption_failures_total}, a log line per pass
 * that changed something, and the readiness check {@code token-keys} ({@link TokenKeysHealthCheck}).</li>
 * <li>At start the service refuses to run when grants hold tokens under a key that is not configured: they could not
 * be read, and the key must be put back until re-encryption has moved them.</li>
 * </ul>
 */
@ApplicationScoped
public class TokenKeyRotation {

    private static final Logger LOG = Logger.getLogger(TokenKeyRotation.class);
    private static final String HAS_TOKENS =
            "(access_token_enc is not null or refresh_token_enc is not null or previous_refresh_enc is not null)";

    private static final String COUNT_BY_KEY = "select token_key_id, count(*) from token_grant where " + HAS_TOKENS
            + " group by token_key_id";

    /** The next batch under an older key, in id order; grants another transaction holds are left for the next pass. */
    private static final String TAKE_BATCH = "select * from token_grant where id > :after and token_key_id in (:older) and "
            + HAS_TOKENS + " order by id limit :limit for update skip locked";

    @Inject
    TokenCipher cipher;

    @Inject
    TokensConfig config;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry registry;

    /** Grants holding tokens per key id, as counted last. */
    private volatile SortedMap<Integer, Long> lastCount = new TreeMap<>();
    private final Map<Integer, AtomicLong> gauges = new ConcurrentHashMap<>();
    private Counter reencrypted;
    private Counter failures;

    /** One batch: the last id looked at, how many grants were taken, re-encrypted, and could not be read. */
    private record Batch(String lastId, int taken, int done, int failed) {
    }

    @PostConstruct
    void init() {
        reencrypted = Counter.builder("keyfleet.tokens.reencrypted").description("Grants whose tokens were moved to the active key")
                .register(registry);
        failures = Counter.builder("keyfleet.tokens.reencryption.failures")
                .description("Grants whose tokens did not decrypt while being moved to the active key").register(registry);
    }

    void checkAtStart(@Observes StartupEvent start) {
        requireConfigured(count(), cipher.keys());
        LOG.infof("Token keys %s, active %d; grants holding tokens per key: %s", cipher.keys().ids(), cipher.keys().activeId(),
                lastCount);
    }

    /** Refuses grants under a key {@code keys} does not hold: their tokens could not be read. */
    public static void requireConfigured(Map<Integer, Long> grantsByKey, TokenKeys keys) {
        Map<Integer, Long> missing = unconfigured(grantsByKey, keys);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Grants hold tokens under token keys that are not configured (key id=grants: " + missing
                    + "; configured ids " + keys.ids() + "). Put those keys back into keyfleet.tokens.encryption-key"
                    + " (KEYFLEET_TOKENS_KEY, e.g. '2:<new>,1:<old>') and remove one only once keyfleet_tokens_grants_by_key"
                    + " shows no grant under it (docs/operations.md, 'Rotate the token key').");
        }
    }

    /** Counts the grants holding tokens per key id, and publishes the counts. */
    @SuppressWarnings("unchecked")
    @Transactional
    public SortedMap<Integer, Long> count() {
        List<Object[]> rows = em.createNativeQuery(COUNT_BY_KEY).getResultList();
        SortedMap<Integer, Long> counts = new TreeMap<>();
        for (Object[] row : rows) {
            counts.put(((Number) row[0]).intValue(), ((Number) row[1]).longValue());
        }
        for (Integer id : counts.keySet()) {
            gauges.computeIfAbsent(id, this::gauge);
        }
        gauges.forEach((id, gauge) -> gauge.set(counts.getOrDefault(id, 0L)));
        lastCount = counts;
        return counts;
    }

    private AtomicLong gauge(int keyId) {
        AtomicLong value = new AtomicLong();
        Gauge.builder("keyfleet.tokens.grants.by.key", value, AtomicLong::get).tag("key", Integer.toString(keyId))
                .description("Grants holding tokens encrypted under this token key").register(registry);
        return value;
    }

    /**
     * Moves the tokens of every grant under an older configured key to the active key, batch by batch (each batch a
     * transaction of its own), until none is left or {@code stop} says so; returns how many grants were moved.
     */
    public long reencrypt(BooleanSupplier stop) {
        int active = cipher.keys().activeId();
        List<Integer> older = cipher.keys().ids().stream().filter(id -> id != active).toList();
        long done = 0;
        long failed = 0;
        String after = "";
        int batchSize = config.reencryption().batchSize();
        while (!older.isEmpty() && !stop.getAsBoolean()) {
            String from = after;
            Batch batch = QuarkusTransaction.requiringNew().call(() -> reencryptBatch(older, from, batchSize));
            done += batch.done();
            failed += batch.failed();
            reencrypted.increment(batch.done());
            failures.increment(batch.failed());
            if (batch.taken() < batchSize) {
                break;
            }
            after = batch.lastId();
        }
        if (stop.getAsBoolean()) {
            return done;
        }
        SortedMap<Integer, Long> counts = count();
        if (done > 0 || failed > 0) {
            LOG.infof("Moved the tokens of %d grants to token key %d (%d did not decrypt and were left as they are);"
                    + " grants holding tokens per key now: %s", done, active, failed, counts);
        }
        return done;
    }

    @SuppressWarnings("unchecked")
    private Batch reencryptBatch(List<Integer> older, String after, int batchSize) {
        List<Grant> grants = em.createNativeQuery(TAKE_BATCH, Grant.class)
                .setParameter("after", after).setParameter("older", older).setParameter("limit", batchSize).getResultList();
        int done = 0;
        int failed = 0;
        for (Grant grant : grants) {
            int from = grant.tokenKeyId;
            try {
                grant.reencrypt(cipher);
                done++;
            } catch (IllegalStateException e) {
                failed++;
                LOG.warnf("The tokens of grant %s under token key %d do not decrypt; left as they are (%s)", grant.id, from,
                        e.getMessage());
            }
        }
        return new Batch(grants.isEmpty() ? after : grants.get(grants.size() - 1).id, grants.size(), done, failed);
    }

    /** Grants holding tokens per key id, as counted last (at start and after each pass). */
    public SortedMap<Integer, Long> lastCount() {
        return lastCount;
    }

    /** The key ids and counts of grants under keys {@code keys} does not hold. */
    static SortedMap<Integer, Long> unconfigured(Map<Integer, Long> grantsByKey, TokenKeys keys) {
        SortedMap<Integer, Long> missing = new TreeMap<>(grantsByKey);
        missing.keySet().removeAll(keys.ids());
        return missing;
    }
}
