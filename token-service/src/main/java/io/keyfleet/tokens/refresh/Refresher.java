package io.keyfleet.tokens.refresh;

import io.keyfleet.kit.outbox.Outbox;
import io.keyfleet.tokens.crypto.TokenCipher;
import io.keyfleet.tokens.grant.Grant;
import io.keyfleet.tokens.grant.GrantEvents;
import io.keyfleet.tokens.grant.GrantStatus;
import io.keyfleet.tokens.support.TokensConfig;
import io.keyfleet.tokens.upstream.AppRef;
import io.keyfleet.tokens.upstream.IssuedTokens;
import io.keyfleet.tokens.upstream.TokenGateway;
import io.keyfleet.tokens.upstream.UpstreamFailure;
import io.keyfleet.tokens.upstream.UpstreamFailure.Kind;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Refreshing grants, shared by every replica through the database.
 *
 * <p>A replica <em>claims</em> due grants ({@code FOR UPDATE SKIP LOCKED}, then a lease: owner and lease_until), so
 * that replicas never pick the same grant; the claim commits before the upstream call, and the call happens outside
 * any transaction. The answer is stored only if the grant is still at the generation that was refreshed (a fence, so a
 * late answer never overwrites a newer pair), the new pair and the old refresh token in one transaction. A lost answer
 * (timeout, untrusted signature) leaves the stored tokens as they were: the next attempt uses the same refresh token,
 * which the provider honours for its grace after use (re_expires_in), and is made while that token is still within its
 * own expiry. Should the provider refuse the current refresh token although a pair was stored from it, the previous
 * one (kept with its expiry) is tried once before the merchant is asked to authorize again.
 *
 * <p>A lease lasts half the time the grant's access token has left, but at least min-lease (see {@link #LEASE_UNTIL});
 * the replica renews the leases of the grants it is working on ({@link #renewLeases()}), so a replica that dies
 * mid-refresh leaves leases that run out while the tokens are still good (unless they had less than twice min-lease
 * left), and another replica takes the grants over in time.
 */
@ApplicationScoped
public class Refresher {

    private static final Logger LOG = Logger.getLogger(Refresher.class);

    /** REFUSED: the provider refused the current refresh token and the previous one is worth a try (the lease is kept). */
    public enum Outcome { REFRESHED, FAILED, REFUSED, STALE, SKIPPED }

    @Inject
    TokenGateway gateway;

    @Inject
    TokenCipher cipher;

    @Inject
    Outbox outbox;

    @Inject
    TokensConfig config;

    @Inject
    EntityManager em;

    /**
     * now + half the access token's remaining life, within [min-lease, lease]; the whole lease when it has no expiry. An
     * expression of the statements below, which bind {@code :now}, {@code :maxLeaseMs} and {@code :minLeaseMs} for it.
     */
    private static final String LEASE_UNTIL = "cast(:now as timestamptz) + cast(least(:maxLeaseMs, greatest(:minLeaseMs,"
            + " coalesce(extract(epoch from (access_expires_at - cast(:now as timestamptz))) * 500, :maxLeaseMs)))"
            + " as double precision) * interval '1 millisecond'";

    /** Due grants no replica holds, taken without waiting for those another replica is taking. */
    private static final String SELECT_DUE = "select id from token_grant where status = 'ACTIVE' and next_refresh_at <= :now"
            + " and (lease_until is null or lease_until < :now) order by next_refresh_at limit :limit for update skip locked";

    private static final String LEASE_SELECTED = "update token_grant set lease_owner = :owner, lease_until = " + LEASE_UNTIL
            + " where id in (:ids)";

    private static final String CLAIM_ONE = "update token_grant set lease_owner = :owner, lease_until = " + LEASE_UNTIL
            + " where id = :id and status = 'ACTIVE' and (lease_until is null or lease_until < :now)";

    /** {@link #CLAIM_ONE}, only while the grant is still at the generation the caller saw. */
    private static final String CLAIM_ONE_AT_GENERATION = CLAIM_ONE + " and generation = :generation";

    private static final String RENEW_LEASES = "update token_grant set lease_until = " + LEASE_UNTIL
            + " where lease_owner = :owner and id in (:ids)";

    /** Extends the lease of a grant only while it is still this owner's (a claim may have waited in the queue past it). */
    private static final String EXTEND_OWN_LEASE = "update token_grant set lease_until = " + LEASE_UNTIL
            + " where id = :id and lease_owner = :owner and status = 'ACTIVE' and lease_until > cast(:now as timestamptz)";

    Clock clock = Clock.systemUTC();
    private RefreshPolicy policy;

    /** Per owner, the grants claimed in this process and not yet done with: their leases are renewed. */
    private final Map<String, Set<String>> working = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        policy = RefreshPolicy.of(config);
    }

    public RefreshPolicy policy() {
        return policy;
    }

    /**
     * Claims up to {@code limit} due grants for {@code owner}; they are its own until the lease runs out. The claim is a
     * transaction of its own: it commits before any grant is refreshed.
     */
    @SuppressWarnings("unchecked")
    public List<String> claimDue(String owner, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            List<String> ids = em.createNativeQuery(SELECT_DUE, String.class)
                    .setParameter("now", now).setParameter("limit", limit).getResultList();
            if (!ids.isEmpty()) {
                withLease(em.createNativeQuery(LEASE_SELECTED), now).setParameter("owner", owner).setParameter("ids", ids).executeUpdate();
            }
            return ids;
        });
    }

    /**
     * Claims one grant now (a caller is waiting); false when another replica holds it, it is not ACTIVE, or — with
     * {@code seenGeneration} — it has been refreshed since the caller looked (so two readers never refresh it twice).
     */
    public boolean claimOne(String grantId, String owner, Integer seenGeneration) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            var update = withLease(em.createNativeQuery(seenGeneration == null ? CLAIM_ONE : CLAIM_ONE_AT_GENERATION), now)
                    .setParameter("owner", owner).setParameter("id", grantId);
            if (seenGeneration != null) {
                update.setParameter("generation", seenGeneration);
            }
            boolean claimed = update.executeUpdate() == 1;
            if (claimed) {
                working(owner).add(grantId);
            }
            return claimed;
        });
    }

    private jakarta.persistence.Query withLease(jakarta.persistence.Query query, Instant now) {
        return query.setParameter("now", now)
                .setParameter("maxLeaseMs", config.scheduler().lease().toMillis())
                .setParameter("minLeaseMs", config.scheduler().minLease().toMillis());
    }

    private Set<String> working(String owner) {
        return working.computeIfAbsent(owner, o -> ConcurrentHashMap.newKeySet());
    }

    /**
     * Extends the leases of the grants this process is refreshing (or has claimed and will refresh shortly), one
     * transaction per owner.
     */
    public int renewLeases() {
        int renewed = 0;
        for (Map.Entry<String, Set<String>> entry : working.entrySet()) {
            List<String> ids = List.copyOf(entry.getValue());
            if (ids.isEmpty()) {
                continue;
            }
            renewed += QuarkusTransaction.requiringNew().call(() -> withLease(em.createNativeQuery(RENEW_LEASES), clock.instant())
                    .setParameter("owner", entry.getKey()).setParameter("ids", ids).executeUpdate());
        }
        return renewed;
    }

    /**
     * Claims and refreshes due grants in rounds until none are due or {@code pool} is shut down; returns how many were
     * refreshed.
     */
    public int refreshDue(String owner, int batchSize, ExecutorService pool) {
        int refreshed = 0;
        while (!pool.isShutdown()) {
            List<String> ids = claimDue(owner, batchSize);
            working(owner).addAll(ids);
            List<Future<Outcome>> results = new ArrayList<>(ids.size());
            for (String id : ids) {
                try {
                    results.add(pool.submit(() -> refresh(id, owner)));
                } catch (RejectedExecutionException e) {
                    // shut down meanwhile: what is not submitted waits for its lease to run out
                    ids.subList(results.size(), ids.size()).forEach(working(owner)::remove);
                    break;
                }
            }
            for (int i = 0; i < results.size(); i++) {
                try {
                    if (results.get(i).get() == Outcome.REFRESHED) {
                        refreshed++;
                    }
                } catch (ExecutionException e) {
                    LOG.warnf("refresh failed unexpectedly: %s", e.getCause().toString());
                } catch (CancellationException e) {
                    // dropped before it started, on shutdown: its lease runs out and a replica takes the grant again
                    working(owner).remove(ids.get(i));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return refreshed;
                }
            }
            if (ids.size() < batchSize) {
                return refreshed;
            }
        }
        return refreshed;
    }

    /**
     * A grant as claimed for refreshing: {@code refreshToken} is the token the upstream call uses, {@code previous} is
     * true when that is the previous refresh token (the current one was refused).
     */
    private record Claimed(AppRef app, int generation, String refreshToken, Instant refreshTokenExpiresAt, boolean previous) {
    }

    /**
     * One upstream call for a grant {@code owner} has claimed (two when the current refresh token is refused), and the
     * result stored: the lease is checked in one transaction, the call is made outside any, the result is stored in
     * another.
     */
    public Outcome refresh(String grantId, String owner) {
        working(owner).add(grantId);
        try {
            Claimed claimed = QuarkusTransaction.requiringNew().call(() -> {
                // still ours, and for long enough to make the call: a claim that waited in the queue past its lease may
                // already be another replica's
                int extended = withLease(em.createNativeQuery(EXTEND_OWN_LEASE), clock.instant())
                        .setParameter("id", grantId).setParameter("owner", owner).executeUpdate();
                Grant grant = extended == 1 ? em.find(Grant.class, grantId) : null;
                if (grant == null) {
                    return null;
                }
                return new Claimed(grant.app(), grant.generation, grant.refreshToken(cipher), grant.refreshExpiresAt, false);
            });
            if (claimed == null) {
                return Outcome.SKIPPED;
            }
            Outcome outcome = call(grantId, claimed);
            if (outcome != Outcome.REFUSED) {
                return outcome;
            }
            Claimed previous = QuarkusTransaction.requiringNew().call(() -> previousToken(grantId, claimed));
            return previous == null ? Outcome.FAILED : call(grantId, previous);
        } finally {
            working(owner).remove(grantId);
        }
    }

    private Outcome call(String grantId, Claimed claimed) {
        IssuedTokens tokens;
        try {
            tokens = gateway.refresh(claimed.app(), claimed.refreshToken());
        } catch (UpstreamFailure failure) {
            return QuarkusTransaction.requiringNew().call(() -> failed(grantId, claimed, failure));
        } catch (RuntimeException e) {
            LOG.warnf("refresh of grant %s failed: %s", grantId, e.getClass().getName());
            UpstreamFailure failure = new UpstreamFailure(Kind.LOST, "INTERNAL_ERROR", "token-service failed while refreshing");
            return QuarkusTransaction.requiringNew().call(() -> failed(grantId, claimed, failure));
        }
        return QuarkusTransaction.requiringNew().call(() -> stored(grantId, claimed, tokens));
    }

    /** The previous refresh token when the current one was refused and the previous is still within its expiry. */
    private Claimed previousToken(String grantId, Claimed refused) {
        Grant grant = em.find(Grant.class, grantId);
        if (grant == null || grant.generation != refused.generation() || grant.status != GrantStatus.ACTIVE) {
            return null;
        }
        LOG.infof("grant %s: the provider refused the current refresh token; trying the previous one, still within its expiry", grantId);
        return new Claimed(grant.app(), grant.generation, grant.previousRefreshToken(cipher), grant.previousRefreshUntil, true);
    }

    private Outcome stored(String grantId, Claimed claimed, IssuedTokens tokens) {
        Grant grant = em.find(Grant.class, grantId, LockModeType.PESSIMISTIC_WRITE);
        if (grant == null || grant.generation != claimed.generation() || grant.status != GrantStatus.ACTIVE) {
            LOG.infof("grant %s changed while its refresh was under way; the answer is not stored", grantId);
            return Outcome.STALE;
        }
        Instant now = clock.instant();
        if (!claimed.previous()) {
            grant.previousRefreshUntil = grant.refreshExpiresAt;
        }
        // the token the call used becomes the previous one; after a refresh with the previous token, that stays it
        grant.storeTokens(cipher, tokens.accessToken(), tokens.refreshToken(), claimed.refreshToken());
        grant.accessExpiresAt = expiry(now, tokens.accessLifetimeSeconds());
        grant.refreshExpiresAt = expiry(now, tokens.refreshLifetimeSeconds());
        grant.generation++;
        grant.failedAttempts = 0;
        grant.failingSince = null;
        grant.lastError = null;
        grant.leaseOwner = null;
        grant.leaseUntil = null;
        grant.nextRefreshAt = policy.nextRefresh(now, grant.accessExpiresAt, ThreadLocalRandom.current());
        grant.updatedAt = now;
        outbox.record(grant.tenantId, GrantEvents.refreshed(grant));
        return Outcome.REFRESHED;
    }

    private Outcome failed(String grantId, Claimed claimed, UpstreamFailure failure) {
        Grant grant = em.find(Grant.class, grantId, LockModeType.PESSIMISTIC_WRITE);
        if (grant == null || grant.generation != claimed.generation() || grant.status != GrantStatus.ACTIVE) {
            return Outcome.STALE;
        }
        Instant now = clock.instant();
        if (failure.kind() == Kind.INVALID_GRANT && !claimed.previous() && grant.previousRefreshEnc != null
                && grant.previousRefreshUntil != null && grant.previousRefreshUntil.isAfter(now)) {
            return Outcome.REFUSED;
        }
        grant.failedAttempts++;
        if (grant.failingSince == null) {
            grant.failingSince = now;
        }
        grant.lastError = abbreviate(failure.code() + ": " + failure.getMessage());
        grant.leaseOwner = null;
        grant.leaseUntil = null;
        grant.updatedAt = now;
        if (failure.kind() == Kind.INVALID_GRANT || policy.givesUp(grant.failingSince, now)) {
            grant.status = GrantStatus.NEEDS_REAUTHORIZATION;
            grant.nextRefreshAt = null;
            outbox.record(grant.tenantId, GrantEvents.refreshFailed(grant, reauthorizationNeeded(grant, failure), false, null));
            LOG.warnf("grant %s needs re-authorization by merchant %s (%s)", grant.id, grant.merchantId, failure.code());
        } else if (failure.kind() == Kind.LOST) {
            // the provider may have rotated the token: retry while the token just used is still within its own expiry
            grant.nextRefreshAt = policy.retryAfterLostAnswerAt(now, grant.failedAttempts, claimed.refreshTokenExpiresAt(),
                    ThreadLocalRandom.current());
            outbox.record(grant.tenantId, GrantEvents.refreshFailed(grant, retryReason(failure), true, grant.nextRefreshAt));
        } else {
            grant.nextRefreshAt = policy.retryAt(now, grant.failedAttempts, ThreadLocalRandom.current());
            outbox.record(grant.tenantId, GrantEvents.refreshFailed(grant, retryReason(failure), true, grant.nextRefreshAt));
        }
        return Outcome.FAILED;
    }

    private String retryReason(UpstreamFailure failure) {
        String reason = failure.code() + ": " + failure.getMessage();
        if (failure.kind() == Kind.LOST) {
            reason += "; the answer was lost, so the next attempt uses the same refresh token within the provider's grace for it,"
                    + " before that token expires";
        }
        return abbreviate(reason);
    }

    private String reauthorizationNeeded(Grant grant, UpstreamFailure failure) {
        String why = failure.kind() == Kind.INVALID_GRANT
                ? "the provider no longer accepts the refresh token (" + failure.code() + ")"
                : "refreshing has failed since " + grant.failingSince + " (" + failure.code() + "), longer than "
                + policy.reauthorizeAfter();
        return "Merchant " + grant.merchantId + " must authorize app " + grant.appId + " again: " + why
                + ". Send the merchant the app's authorization link; exchange the new app_auth_code with"
                + " POST /v1/grants/exchange and grant " + grant.id + " becomes ACTIVE again.";
    }

    static Instant expiry(Instant now, Long lifetimeSeconds) {
        return lifetimeSeconds == null ? null : now.plusSeconds(lifetimeSeconds);
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 299) + "…";
    }

    /** Waits (briefly) for another replica's refresh of this grant to land; true when the generation moved on. */
    public boolean awaitNewGeneration(String grantId, int generation, Duration wait) {
        Instant until = clock.instant().plus(wait);
        while (clock.instant().isBefore(until)) {
            Integer current = QuarkusTransaction.requiringNew().call(() -> {
                Grant grant = em.find(Grant.class, grantId);
                return grant == null ? null : grant.generation;
            });
            if (current == null || current != generation) {
                return current != null;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
