package io.keyfleet.tokens.grant;

import io.keyfleet.kit.outbox.Outbox;
import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.tokens.crypto.TokenCipher;
import io.keyfleet.tokens.grant.GrantApi.CurrentToken;
import io.keyfleet.tokens.grant.GrantApi.ExchangeRequest;
import io.keyfleet.tokens.grant.GrantApi.GrantPage;
import io.keyfleet.tokens.grant.GrantApi.GrantView;
import io.keyfleet.tokens.refresh.RefreshScheduler;
import io.keyfleet.tokens.refresh.Refresher;
import io.keyfleet.tokens.support.TokensConfig;
import io.keyfleet.tokens.upstream.AppRef;
import io.keyfleet.tokens.upstream.GatewayVersion;
import io.keyfleet.tokens.upstream.IssuedTokens;
import io.keyfleet.tokens.upstream.TokenGateway;
import io.keyfleet.tokens.upstream.UpstreamFailure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exchanging codes, handing out the current token, listing, revoking and forcing refreshes of a tenant's grants.
 *
 * <p>Reads and changes that stay in the database are one {@code @Transactional} call each. The operations that call
 * the provider ({@link #exchange}, {@link #currentToken}, {@link #forceRefresh}) run outside any transaction and commit
 * each database step in a transaction of its own, so that no row lock is held while the provider answers.
 */
@ApplicationScoped
public class Grants {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Grants.class);

    static final String REPLAYED_CODE = "the authorization code was presented twice (RFC 6749 section 4.1.2)";

    /** Holds a transaction-scoped advisory lock on {@code :key} until the transaction ends. */
    private static final String ADVISORY_LOCK = "select count(*) from (select pg_advisory_xact_lock(hashtextextended(:key, 0))) locked";

    private static final String LIST = "from Grant where tenantId = :tenant"
            + " and (:provider is null or provider = :provider) and (:app is null or appId = :app)"
            + " and (:merchant is null or merchantId = :merchant) and (:status is null or status = :status)"
            + " and (:after is null or id > :after) order by id";

    @Inject
    TokenGateway gateway;

    @Inject
    TokenCipher cipher;

    @Inject
    Outbox outbox;

    @Inject
    Refresher refresher;

    @Inject
    RefreshScheduler scheduler;

    @Inject
    TokensConfig config;

    @Inject
    EntityManager em;

    Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();

    /** Claims the code, calls the provider, stores the tokens: three transactions, none open during the call. */
    public GrantView exchange(String tenantId, ExchangeRequest request) {
        GatewayVersion version = request.gatewayVersion() == null ? config.defaultGatewayVersion()
                : GatewayVersion.valueOf(request.gatewayVersion().toUpperCase(Locale.ROOT));
        AppRef app = new AppRef(tenantId, request.provider(), request.appId(), request.environment().toUpperCase(Locale.ROOT), version);
        String codeHash = sha256(request.code());
        switch (claimCode(app, codeHash)) {
            case REPLAYED -> throw ProblemException.badRequest("CODE_REPLAYED", "This authorization code was already presented for "
                    + "exchange. A code is good for one exchange; the tokens issued from it are now revoked. Ask the merchant to "
                    + "authorize the app again for a new code.");
            case OTHER_TENANT -> {
                // answered exactly as a code the provider refuses: nothing tells that another tenant holds it
                LOG.warnf("Tenant %s presented an authorization code for %s/%s/%s that another tenant presented for the same app; "
                        + "refused as invalid without asking the provider", tenantId, app.provider(), app.appId(), app.environment());
                throw codeInvalid();
            }
            case CLAIMED -> {
            }
        }
        IssuedTokens tokens;
        try {
            tokens = gateway.exchange(app, request.code());
        } catch (UpstreamFailure failure) {
            if (failure.kind() != UpstreamFailure.Kind.INVALID_GRANT) {
                // the provider did not (or may not have) used the code: let the caller try it again
                QuarkusTransaction.requiringNew().run(() -> ExchangedCode.deleteById(ExchangedCode.key(app, codeHash)));
            }
            throw exchangeProblem(app, failure);
        }
        return QuarkusTransaction.requiringNew().call(() -> store(app, codeHash, tokens));
    }

    /** What became of presenting a code. */
    private enum Claim {
        /** First presentation for this tenant and app: exchange it. */
        CLAIMED,
        /** This tenant presented it for this app before: refused, and the tokens issued from it are revoked. */
        REPLAYED,
        /** Another tenant presented it for the same app: refused; the other tenant's grant is left alone. */
        OTHER_TENANT
    }

    /**
     * Records the code as presented by the app's tenant for the app. A code is a replay only for the same tenant and
     * app (or a recorded presentation whose app is unknown); its tokens are then revoked (RFC 6749 section 4.1.2).
     * Another tenant's presentation for the same app is refused and touches nothing: it does not reach the provider
     * either, which could take it for a replay and revoke what it issued to the first tenant.
     */
    private Claim claimCode(AppRef app, String codeHash) {
        return QuarkusTransaction.requiringNew().call(() -> {
            // one claim of a code at a time, across tenants and replicas: the checks below and the insert stay together
            advisoryLock("exchanged_code\n" + codeHash);
            Instant now = clock.instant();
            List<ExchangedCode> presented = em.createQuery("from ExchangedCode where codeHash = :hash", ExchangedCode.class)
                    .setParameter("hash", codeHash).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList()
                    .stream().filter(code -> code.isFor(app)).toList();
            List<ExchangedCode> ours = presented.stream().filter(code -> code.tenantId.equals(app.tenantId())).toList();
            if (ours.isEmpty() && !presented.isEmpty()) {
                return Claim.OTHER_TENANT;
            }
            if (ours.isEmpty()) {
                ExchangedCode code = new ExchangedCode();
                code.tenantId = app.tenantId();
                code.provider = app.provider();
                code.appId = app.appId();
                code.environment = app.environment();
                code.codeHash = codeHash;
                code.exchangedAt = now;
                code.persist();
                return Claim.CLAIMED;
            }
            for (ExchangedCode code : ours) {
                if (code.replayedAt == null) {
                    code.replayedAt = now;
                }
                if (code.grantId != null) {
                    Grant grant = em.find(Grant.class, code.grantId, LockModeType.PESSIMISTIC_WRITE);
                    if (grant != null && grant.tenantId.equals(app.tenantId()) && codeHash.equals(grant.codeHash)) {
                        revoke(grant, REPLAYED_CODE, now);
                    }
                }
            }
            return Claim.REPLAYED;
        });
    }

    private GrantView store(AppRef app, String codeHash, IssuedTokens tokens) {
        Instant now = clock.instant();
        // Two codes of one merchant exchanged at once must not both insert (unique per merchant): the second to get here
        // waits for the first to commit, then finds its grant and renews it with its own, newer tokens.
        advisoryLock(String.join("\n", app.tenantId(), app.provider(), app.appId(), app.environment(), tokens.merchantId()));
        Grant grant = Grant.find("tenantId = :tenant and provider = :provider and appId = :app and environment = :env and merchantId = :merchant",
                        Parameters.with("tenant", app.tenantId()).and("provider", app.provider()).and("app", app.appId())
                                .and("env", app.environment()).and("merchant", tokens.merchantId()))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (grant == null) {
            grant = new Grant();
            grant.id = "grt_" + HexFormat.of().formatHex(randomBytes(10));
            grant.tenantId = app.tenantId();
            grant.provider = app.provider();
            grant.appId = app.appId();
            grant.environment = app.environment();
            grant.merchantId = tokens.merchantId();
            grant.generation = 1;
            grant.createdAt = now;
        } else {
            grant.generation++; // the merchant authorized again: same grant, next token version
        }
        grant.authAppId = tokens.authAppId();
        grant.gatewayVersion = app.gateway(); // a new authorization may move the grant to another gateway
        grant.status = GrantStatus.ACTIVE;
        grant.codeHash = codeHash;
        grant.storeTokens(cipher, tokens.accessToken(), tokens.refreshToken(), null);
        grant.previousRefreshUntil = null;
        grant.accessExpiresAt = tokens.accessLifetimeSeconds() == null ? null : now.plusSeconds(tokens.accessLifetimeSeconds());
        grant.refreshExpiresAt = tokens.refreshLifetimeSeconds() == null ? null : now.plusSeconds(tokens.refreshLifetimeSeconds());
        grant.nextRefreshAt = refresher.policy().nextRefresh(now, grant.accessExpiresAt, ThreadLocalRandom.current());
        grant.leaseOwner = null;
        grant.leaseUntil = null;
        grant.failedAttempts = 0;
        grant.failingSince = null;
        grant.lastError = null;
        grant.updatedAt = now;
        grant.persist();
        outbox.record(grant.tenantId, GrantEvents.issued(grant));

        ExchangedCode code = em.find(ExchangedCode.class, ExchangedCode.key(app, codeHash), LockModeType.PESSIMISTIC_WRITE);
        code.grantId = grant.id;
        if (code.replayedAt != null) {
            // replayed while this exchange was under way
            revoke(grant, REPLAYED_CODE, now);
        }
        return GrantView.of(grant);
    }

    private void advisoryLock(String key) {
        em.createNativeQuery(ADVISORY_LOCK).setParameter("key", key).getSingleResult();
    }

    /** The stored token, or one refreshed now (a call to the provider between transactions) when it is close to expiry. */
    public CurrentToken currentToken(String tenantId, String grantId) {
        Grant grant = QuarkusTransaction.requiringNew().call(() -> find(tenantId, grantId));
        requireUsableStatus(grant);
        if (fresh(grant, clock.instant())) {
            return token(grant);
        }
        if (grant.failedAttempts > 0 && grant.nextRefreshAt != null && grant.nextRefreshAt.isAfter(clock.instant())) {
            // backing off from a failing provider: readers must not turn into a retry storm
            throw tokenExpired(grant);
        }
        // too close to expiry: refresh now (or wait for the replica that is refreshing it), never hand out an expired token
        try {
            if (refresher.claimOne(grant.id, scheduler.owner(), grant.generation)) {
                refresher.refresh(grant.id, scheduler.owner());
            } else {
                refresher.awaitNewGeneration(grant.id, grant.generation, config.upstreamTimeout());
            }
        } catch (RuntimeException e) {
            // e.g. a replica killed mid-refresh left a lease or a lock behind: the scheduler retries; this reader gets a 409
            LOG.warnf("Refresh on read of grant %s did not complete (%s); answering from what is stored", grant.id,
                    e.getClass().getSimpleName());
        }
        Grant after = QuarkusTransaction.requiringNew().call(() -> find(tenantId, grantId));
        requireUsableStatus(after);
        if (fresh(after, clock.instant())) {
            return token(after);
        }
        throw tokenExpired(after);
    }

    private static ProblemException tokenExpired(Grant grant) {
        return ProblemException.conflict("TOKEN_EXPIRED", "The access token of grant " + grant.id + " has expired and could not be "
                + "refreshed just now" + (grant.lastError == null ? "" : " (" + grant.lastError + ")")
                + ". The scheduler keeps trying" + (grant.nextRefreshAt == null ? "" : ", next at " + grant.nextRefreshAt)
                + "; ask again later.");
    }

    private boolean fresh(Grant grant, Instant now) {
        return grant.accessExpiresAt == null || grant.accessExpiresAt.isAfter(now.plus(config.minRemaining()));
    }

    private CurrentToken token(Grant grant) {
        return new CurrentToken(grant.id, grant.accessToken(cipher), grant.generation, grant.accessExpiresAt);
    }

    private static void requireUsableStatus(Grant grant) {
        if (grant.status == GrantStatus.NEEDS_REAUTHORIZATION) {
            throw ProblemException.conflict("GRANT_NEEDS_REAUTHORIZATION", "Grant " + grant.id + " cannot be refreshed any more ("
                    + grant.lastError + "). Merchant " + grant.merchantId + " must authorize the app again; exchange the new code "
                    + "with POST /v1/grants/exchange.");
        }
        if (grant.status == GrantStatus.REVOKED) {
            throw ProblemException.conflict("GRANT_REVOKED", "Grant " + grant.id + " is revoked; its tokens are erased.");
        }
    }

    @Transactional
    public GrantView get(String tenantId, String grantId) {
        return GrantView.of(find(tenantId, grantId));
    }

    /** A page of the tenant's grants in id order; a null filter matches every grant. */
    @Transactional
    public GrantPage list(String tenantId, String provider, String appId, String merchantId, GrantStatus status, String after, int limit) {
        List<Grant> grants = Grant.<Grant>find(LIST, Parameters.with("tenant", tenantId).and("provider", provider).and("app", appId)
                .and("merchant", merchantId).and("status", status).and("after", after)).page(0, limit + 1).list();
        List<GrantView> items = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, grants.size()); i++) {
            items.add(GrantView.of(grants.get(i)));
        }
        return new GrantPage(items, grants.size() > limit ? items.get(items.size() - 1).id() : null);
    }

    @Transactional
    public GrantView revoke(String tenantId, String grantId, String reason) {
        Grant grant = find(tenantId, grantId);
        em.lock(grant, LockModeType.PESSIMISTIC_WRITE);
        em.refresh(grant);
        if (grant.status != GrantStatus.REVOKED) {
            revoke(grant, reason == null || reason.isBlank() ? "revoked through the API" : reason, clock.instant());
        }
        return GrantView.of(grant);
    }

    private void revoke(Grant grant, String reason, Instant now) {
        grant.status = GrantStatus.REVOKED;
        grant.eraseTokens();
        grant.updatedAt = now;
        outbox.record(grant.tenantId, GrantEvents.revoked(grant, reason));
    }

    /**
     * Refreshes now, whatever the schedule says (a call to the provider between transactions); 409 when another replica
     * is refreshing it at this moment.
     */
    public GrantView forceRefresh(String tenantId, String grantId) {
        Grant grant = QuarkusTransaction.requiringNew().call(() -> find(tenantId, grantId));
        requireUsableStatus(grant);
        if (!refresher.claimOne(grantId, scheduler.owner(), null)) {
            throw ProblemException.conflict("REFRESH_IN_PROGRESS", "Grant " + grantId + " is being refreshed right now; "
                    + "read it again in a moment.");
        }
        refresher.refresh(grantId, scheduler.owner());
        return get(tenantId, grantId);
    }

    private Grant find(String tenantId, String grantId) {
        Grant grant = Grant.findById(grantId);
        if (grant == null || !grant.tenantId.equals(tenantId)) {
            throw ProblemException.notFound("GRANT_NOT_FOUND", "No grant '" + grantId + "' exists for this tenant.");
        }
        return grant;
    }

    /** A code that cannot be exchanged: unknown, used or expired at the provider, or presented by another tenant. */
    private static ProblemException codeInvalid() {
        return ProblemException.badRequest("CODE_INVALID", "The authorization code cannot be exchanged: it is unknown, used or "
                + "expired. Ask the merchant to authorize the app again.");
    }

    private static ProblemException exchangeProblem(AppRef app, UpstreamFailure failure) {
        if (failure.kind() == UpstreamFailure.Kind.INVALID_GRANT) {
            // the provider's code stays in the log: in the answer it would set this refusal apart from the one above
            LOG.infof("The provider refused an authorization code of tenant %s for %s/%s/%s: %s", app.tenantId(), app.provider(),
                    app.appId(), app.environment(), failure.code());
        }
        return switch (failure.kind()) {
            case INVALID_GRANT -> codeInvalid();
            case CONFIGURATION -> ProblemException.unprocessable("UPSTREAM_REFUSED", "The exchange could not be made: "
                    + failure.getMessage() + ". Check that the app's key exists in key-service and is registered with the provider.");
            case RETRYABLE, LOST -> new ProblemException(502, "PROVIDER_UNAVAILABLE", "Bad gateway",
                    "The provider's token endpoint failed (" + failure.code() + "). The code was not used up on our side; try again.");
        };
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

}
