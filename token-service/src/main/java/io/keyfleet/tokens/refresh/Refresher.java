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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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
 * which the provider honours for its grace after use. A replica that dies mid-refresh leaves a lease that simply runs out.
 */
@ApplicationScoped
public class Refresher {

    private static final Logger LOG = Logger.getLogger(Refresher.class);

    public enum Outcome { REFRESHED, FAILED, STALE, SKIPPED }

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

    Clock clock = Clock.systemUTC();
    private RefreshPolicy policy;

    @PostConstruct
    void init() {
        policy = RefreshPolicy.of(config);
    }

    public RefreshPolicy policy() {
        return policy;
    }

    /** Claims up to {@code limit} due grants for {@code owner}; they are its own until the lease runs out. */
    @SuppressWarnings("unchecked")
    public List<String> claimDue(String owner, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            List<String> ids = em.createNativeQuery("select id from token_grant where status = 'ACTIVE' and next_refresh_at <= :now"
                            + " and (lease_until is null or lease_until < :now) order by next_refresh_at limit :limit"
                            + " for update skip locked", String.class)
                    .setParameter("now", now).setParameter("limit", limit).getResultList();
            if (!ids.isEmpty()) {
                em.createNativeQuery("update token_grant set lease_owner = :owner, lease_until = :until where id in (:ids)")
                        .setParameter("owner", owner).setParameter("until", now.plus(config.scheduler().lease()))
                        .setParameter("ids", ids).executeUpdate();
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
            var update = em.createNativeQuery("update token_grant set lease_owner = :owner, lease_until = :until where id = :id"
                            + " and status = 'ACTIVE' and (lease_until is null or lease_until < :now)"
                            + (seenGeneration == null ? "" : " and generation = :generation"))
                    .setParameter("owner", owner).setParameter("until", now.plus(config.scheduler().lease()))
                    .setParameter("id", grantId).setParameter("now", now);
            if (seenGeneration != null) {
                update.setParameter("generation", seenGeneration);
            }
            return update.executeUpdate() == 1;
        });
    }

    /** Claims and refreshes due grants in rounds until none are due; returns how many were refreshed. */
    public int refreshDue(String owner, int batchSize, ExecutorService pool) {
        int refreshed = 0;
        while (true) {
            List<String> ids = claimDue(owner, batchSize);
            List<Future<Outcome>> results = new ArrayList<>(ids.size());
            for (String id : ids) {
                results.add(pool.submit(() -> refresh(id, owner)));
            }
            for (Future<Outcome> result : results) {
                try {
                    if (result.get() == Outcome.REFRESHED) {
                        refreshed++;
                    }
                } catch (ExecutionException e) {
                    LOG.warnf("refresh failed unexpectedly: %s", e.getCause().toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return refreshed;
                }
            }
            if (ids.size() < batchSize) {
                return refreshed;
            }
        }
    }

    private record Claimed(AppRef app, int generation, String refreshToken) {
    }

    /** One upstream call for a grant {@code owner} has claimed, and the result stored. */
    public Outcome refresh(String grantId, String owner) {
        Claimed claimed = QuarkusTransaction.requiringNew().call(() -> {
            Grant grant = em.find(Grant.class, grantId);
            if (grant == null || grant.status != GrantStatus.ACTIVE || !owner.equals(grant.leaseOwner)) {
                return null;
            }
            return new Claimed(grant.app(), grant.generation, cipher.decrypt(grant.refreshTokenEnc, grant.id, Grant.REFRESH));
        });
        if (claimed == null) {
            return Outcome.SKIPPED;
        }
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

    private Outcome stored(String grantId, Claimed claimed, IssuedTokens tokens) {
        Grant grant = em.find(Grant.class, grantId, LockModeType.PESSIMISTIC_WRITE);
        if (grant == null || grant.generation != claimed.generation() || grant.status != GrantStatus.ACTIVE) {
            LOG.infof("grant %s changed while its refresh was under way; the answer is not stored", grantId);
            return Outcome.STALE;
        }
        Instant now = clock.instant();
        grant.previousRefreshEnc = cipher.encrypt(claimed.refreshToken(), grant.id, Grant.PREVIOUS_REFRESH);
        grant.accessTokenEnc = cipher.encrypt(tokens.accessToken(), grant.id, Grant.ACCESS);
        grant.refreshTokenEnc = cipher.encrypt(tokens.refreshToken(), grant.id, Grant.REFRESH);
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
        } else {
            grant.nextRefreshAt = policy.retryAt(now, grant.failedAttempts, ThreadLocalRandom.current());
            outbox.record(grant.tenantId, GrantEvents.refreshFailed(grant, retryReason(failure), true, grant.nextRefreshAt));
        }
        return Outcome.FAILED;
    }

    private String retryReason(UpstreamFailure failure) {
        String reason = failure.code() + ": " + failure.getMessage();
        if (failure.kind() == Kind.LOST) {
            reason += "; the answer was lost, so the next attempt uses the same refresh token within the provider's grace for it";
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
