package io.keyfleet.sync.pool;

import io.keyfleet.auth.ApiKeyFormat;
import io.keyfleet.auth.IpWhitelist;
import io.keyfleet.kit.outbound.OutboundClient;
import io.keyfleet.kit.outbound.OutboundRefusedException;
import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.sync.secret.PoolSecrets;
import io.keyfleet.sync.upstream.PoolApiClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Parameters;
import io.keyfleet.sync.support.Like;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Creating, changing and checking pools; the API secret goes to key-service and is read back only to call upstream.
 * {@link #create}, {@link #update} and {@link #check} call out (the pool's upstream, key-service) and run outside any
 * transaction: the row is written in a transaction of its own once the calls are done.
 */
@ApplicationScoped
public class Pools {

    public record Saved(Pool pool, ConnectivityCheck.Report check, String generatedSecret) {
        @Override
        public String toString() {
            return "Saved[" + pool.id + "]";
        }
    }

    private static final Logger LOG = Logger.getLogger(Pools.class);

    private static final String REGISTER_SECRET = "Register the generated API secret upstream, then run a connectivity check.";

    private static final String LIST = "from Pool where tenantId = :tenant and deletedAt is null and (lower(providerName) like :like"
            + " or lower(memberId) like :like or lower(type) like :like or lower(coalesce(remark, '')) like :like) order by createdAt, id";

    @Inject
    EntityManager em;

    @Inject
    PoolSecrets secrets;

    @Inject
    ConnectivityCheck connectivity;

    @Inject
    PoolHealthRecorder healthRecorder;

    @Inject
    OutboundClient outbound;

    public Saved create(String tenantId, PoolDefinition definition) {
        definition.check(true);
        URI baseUrl = allowedBaseUrl(definition.apiBaseUrl());
        boolean generate = Boolean.TRUE.equals(definition.generateSecret());
        String secret = generate ? ApiKeyFormat.randomBase62(40) : definition.apiSecret();
        ConnectivityCheck.Report report = null;
        if (!generate) {
            report = checkOrRefuse(new PoolApiClient.Endpoint(baseUrl, definition.memberId(), secret));
        }
        UUID id = UUID.randomUUID();
        storeSecret(tenantId, id, 1, secret);
        Instant now = Instant.now();
        Pool pool = new Pool();
        pool.id = id;
        pool.tenantId = tenantId;
        pool.providerName = definition.providerName().trim();
        pool.type = definition.type().trim();
        pool.memberId = definition.memberId();
        pool.apiBaseUrl = definition.apiBaseUrl().trim();
        pool.authorizedIps = ips(definition.authorizedIps());
        pool.priceProtection = Boolean.TRUE.equals(definition.priceProtection());
        pool.exchangeRate = definition.exchangeRate() == null ? BigDecimal.ONE : definition.exchangeRate();
        pool.remark = definition.remark();
        pool.secretVersion = 1;
        pool.syncIntervalMinutes = definition.schedule();
        pool.health = report == null ? PoolHealth.UNCHECKED : report.health();
        pool.healthMessage = report == null ? REGISTER_SECRET : report.message();
        pool.checkedAt = report == null ? null : now;
        pool.createdAt = now;
        pool.updatedAt = now;
        QuarkusTransaction.requiringNew().run(() -> pool.persist());
        LOG.infof("Pool %s created for tenant %s (%s, member %s)", id, tenantId, pool.providerName, pool.memberId);
        return new Saved(pool, report, generate ? secret : null);
    }

    public Saved update(String tenantId, UUID id, PoolDefinition definition) {
        definition.check(false);
        Pool current = find(tenantId, id);
        boolean generate = Boolean.TRUE.equals(definition.generateSecret());
        String newSecret = generate ? ApiKeyFormat.randomBase62(40) : definition.apiSecret();
        String baseUrl = definition.apiBaseUrl() == null ? current.apiBaseUrl : definition.apiBaseUrl().trim();
        String memberId = definition.memberId() == null ? current.memberId : definition.memberId();
        boolean endpointChanged = newSecret != null || !baseUrl.equals(current.apiBaseUrl) || !memberId.equals(current.memberId)
                || definition.authorizedIps() != null;
        if (!baseUrl.equals(current.apiBaseUrl)) {
            allowedBaseUrl(baseUrl);
        }
        ConnectivityCheck.Report report = null;
        if (endpointChanged && !generate) {
            String secret = newSecret != null ? newSecret : secrets.get(tenantId, id.toString(), current.secretVersion).orElse(null);
            report = secret == null ? ConnectivityCheck.secretMissing()
                    : checkOrRefuse(new PoolApiClient.Endpoint(PoolDefinition.baseUrl(baseUrl), memberId, secret));
            if (!report.ok()) {
                throw PoolDefinition.invalid(report.field(), report.message());
            }
        }
        int version = current.secretVersion;
        if (newSecret != null) {
            version++;
            storeSecret(tenantId, id, version, newSecret);
        }
        Instant now = Instant.now();
        Pool updated = new Pool();
        updated.id = id;
        updated.tenantId = tenantId;
        updated.takeDefinitionOf(current);
        updated.providerName = or(definition.providerName(), current.providerName);
        updated.type = or(definition.type(), current.type);
        updated.memberId = memberId;
        updated.apiBaseUrl = baseUrl;
        if (definition.authorizedIps() != null) {
            updated.authorizedIps = ips(definition.authorizedIps());
        }
        if (definition.priceProtection() != null) {
            updated.priceProtection = definition.priceProtection();
        }
        if (definition.exchangeRate() != null) {
            updated.exchangeRate = definition.exchangeRate();
        }
        if (definition.remark() != null) {
            updated.remark = definition.remark();
        }
        updated.secretVersion = version;
        if (definition.syncIntervalMinutes() != null) {
            updated.syncIntervalMinutes = definition.schedule();
        }
        if (report != null || generate) {
            updated.health = report != null ? report.health() : PoolHealth.UNCHECKED;
            updated.healthMessage = report != null ? report.message() : REGISTER_SECRET;
        }
        if (report != null) {
            updated.checkedAt = now;
        }
        updated.updatedAt = now;
        QuarkusTransaction.requiringNew().run(() -> {
            Pool row = Pool.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (row != null && row.tenantId.equals(tenantId)) {
                row.takeDefinitionOf(updated);
            }
            healthRecorder.changed(updated, current.health);
        });
        if (newSecret != null && current.secretVersion > 0) {
            try {
                secrets.destroy(tenantId, id.toString(), current.secretVersion);
            } catch (PoolSecrets.PoolSecretException e) {
                LOG.warnf("Pool %s: the previous secret version %d could not be destroyed yet: %s", id, current.secretVersion, e.getMessage());
            }
        }
        return new Saved(updated, report, generate ? newSecret : null);
    }

    /** Soft delete: the row stays (deletedAt) for the catalog and jobs that name it. */
    @Transactional
    public void delete(String tenantId, UUID id) {
        if (Pool.update("deletedAt = ?1 where id = ?2 and tenantId = ?3 and deletedAt is null", Instant.now(), id, tenantId) != 1) {
            throw notFound(id);
        }
    }

    @Transactional
    public Pool find(String tenantId, UUID id) {
        return Pool.<Pool>find("id = ?1 and tenantId = ?2 and deletedAt is null", id, tenantId).firstResultOptional()
                .orElseThrow(() -> notFound(id));
    }

    /** Pools of the tenant whose provider name, member id, type or remark contains the search text. */
    @Transactional
    public List<Pool> list(String tenantId, String search, int page, int size) {
        String like = Like.containing(search == null ? "" : search);
        int offset = (page - 1) * size;
        return Pool.<Pool>find(LIST, Parameters.with("tenant", tenantId).and("like", like)).range(offset, offset + size - 1).list();
    }

    /**
     * A definition checked without saving anything. An address the outbound policy refuses is a 400
     * (OUTBOUND_ADDRESS_REFUSED, OUTBOUND_SCHEME_REFUSED), never a check result: nothing is connected.
     */
    public ConnectivityCheck.Report checkDefinition(PoolDefinition definition) {
        definition.check(true);
        if (definition.apiSecret() == null) {
            throw PoolDefinition.invalid("apiSecret", "a check needs the API secret.");
        }
        return connectivity.check(new PoolApiClient.Endpoint(PoolDefinition.baseUrl(definition.apiBaseUrl()), definition.memberId(),
                definition.apiSecret()));
    }

    /**
     * Checks a saved pool with its secret from key-service and records the result as its health. When the outbound
     * policy refuses its address (its host now resolves to an internal address, or the policy changed) the pool is
     * recorded UNREACHABLE with the refusal and the {@link OutboundRefusedException} is thrown on.
     */
    public ConnectivityCheck.Report check(Pool pool) {
        Optional<PoolApiClient.Endpoint> endpoint = endpoint(pool);
        ConnectivityCheck.Report report;
        try {
            report = endpoint.map(connectivity::check).orElseGet(ConnectivityCheck::secretMissing);
        } catch (OutboundRefusedException e) {
            healthRecorder.record(pool, PoolHealth.UNREACHABLE, "Not called: the address is refused (" + e.code() + "): " + e.detail());
            throw e;
        }
        healthRecorder.record(pool, report.health(), report.message());
        return report;
    }

    /** How to call the pool upstream: empty when key-service has no secret for it. */
    public Optional<PoolApiClient.Endpoint> endpoint(Pool pool) {
        return secrets.get(pool.tenantId, pool.id.toString(), pool.secretVersion)
                .map(secret -> new PoolApiClient.Endpoint(URI.create(pool.apiBaseUrl), pool.memberId, secret));
    }

    /** Any tenant's pool, for background work (events, schedules). */
    @Transactional
    public Optional<Pool> findAnyTenant(UUID id) {
        return Pool.<Pool>find("id = ?1 and deletedAt is null", id).firstResultOptional();
    }

    /** Moves the pool to a newer secret version written in key-service; false when it already uses that one or a newer one. */
    @Transactional
    public boolean adoptSecretVersion(String tenantId, UUID id, int version) {
        return Pool.update("secretVersion = ?1 where id = ?2 and tenantId = ?3 and secretVersion < ?1 and deletedAt is null", version, id,
                tenantId) == 1;
    }

    /** Pools with a schedule whose interval has passed since their last scheduled run. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<Pool> dueForSchedule(Instant now) {
        return em.createNativeQuery(Pool.DUE_FOR_SCHEDULE, Pool.class).setParameter("now", now).getResultList();
    }

    /**
     * Claims the pool's due scheduled run: true for exactly one caller per due interval, even when several replicas look
     * at the schedule at once.
     */
    @Transactional
    public boolean claimScheduledRun(UUID id, Instant now) {
        return em.createNativeQuery(Pool.CLAIM_SCHEDULED).setParameter("now", now).setParameter("id", id).executeUpdate() == 1;
    }

    /** Records that the item has a saved custom selection (its later lines start unselected); once per item. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void addCustomSelection(UUID id, String item) {
        Pool pool = em.find(Pool.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (pool != null && !pool.hasCustomSelection(item)) {
            String[] items = Arrays.copyOf(pool.customSelectionItems, pool.customSelectionItems.length + 1);
            items[items.length - 1] = item;
            pool.customSelectionItems = items;
        }
    }

    /**
     * The base URL after the outbound policy's look at it (scheme, and every address its host resolves to): also for a
     * pool saved without a check (generated secret), so no pool points at an internal address.
     */
    private URI allowedBaseUrl(String text) {
        URI baseUrl = PoolDefinition.baseUrl(text);
        try {
            outbound.policy().check(baseUrl, "apiBaseUrl");
        } catch (UnknownHostException e) {
            throw new ProblemException(422, "POOL_CHECK_FAILED", "Connectivity check failed", "apiBaseUrl: cannot resolve the host "
                    + baseUrl.getHost() + "; check the API base URL and DNS.");
        }
        return baseUrl;
    }

    private ConnectivityCheck.Report checkOrRefuse(PoolApiClient.Endpoint endpoint) {
        ConnectivityCheck.Report report = connectivity.check(endpoint);
        if (!report.ok()) {
            throw new ProblemException(422, "POOL_CHECK_FAILED", "Connectivity check failed", report.field() + ": " + report.message());
        }
        return report;
    }

    private void storeSecret(String tenantId, UUID id, int version, String secret) {
        try {
            secrets.put(tenantId, id.toString(), version, secret);
        } catch (PoolSecrets.PoolSecretException e) {
            throw new ProblemException(503, "SECRET_BACKEND_UNAVAILABLE", "Secret backend unavailable",
                    "The pool's API secret could not be stored in key-service (" + e.getMessage() + "); nothing was saved, try again.");
        }
    }

    private static List<String> ips(List<String> texts) {
        return texts == null ? List.of() : IpWhitelist.parse(texts).texts();
    }

    private static String or(String value, String fallback) {
        return value == null ? fallback : value.trim();
    }

    private static ProblemException notFound(UUID id) {
        return ProblemException.notFound("POOL_NOT_FOUND", "No pool " + id + ".");
    }
}
