package io.keyfleet.tokens;

import io.keyfleet.tokens.upstream.AppRef;
import io.keyfleet.tokens.upstream.IssuedTokens;
import io.keyfleet.tokens.upstream.TokenGateway;
import io.keyfleet.tokens.upstream.UpstreamFailure;
import io.keyfleet.tokens.upstream.UpstreamFailure.Kind;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for the provider's token endpoint in this module's tests (the real provider is a boundary we cannot reach
 * here; the real sandbox with signing-service is exercised by the suite ITs in cli). Keeps lineages like the sandbox
 * does: a code is good once, a refresh gives a new pair, and every use of every refresh token is counted, so a double
 * refresh shows.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class FakeProvider implements TokenGateway {

    public record Lineage(String merchantId, int generation) {
    }

    /** What the next calls do instead of answering normally. */
    public enum Mode { NORMAL, FAIL_RETRYABLE, LOSE_RESPONSE, INVALID_GRANT }

    private final Map<String, String> codes = new ConcurrentHashMap<>();
    private final Map<String, Lineage> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> usesOfRefreshToken = new ConcurrentHashMap<>();
    private final AtomicLong refreshCalls = new AtomicLong();
    private final AtomicLong exchangeCalls = new AtomicLong();
    private final Map<String, AtomicLong> refreshCallsByApp = new ConcurrentHashMap<>();
    private final Map<String, List<String>> gatewayCallsByApp = new ConcurrentHashMap<>();
    private volatile Mode mode = Mode.NORMAL;
    private volatile Long accessLifetimeSeconds = 3600L;
    private volatile long refreshLifetimeSeconds = 86_400L;
    private volatile CyclicBarrier exchangeBarrier;
    private final AtomicInteger refusalsToCome = new AtomicInteger();

    public String consent(String merchantId) {
        String code = "code-" + UUID.randomUUID();
        codes.put(code, merchantId);
        return code;
    }

    public void lifetimes(Long accessSeconds, long refreshSeconds) {
        this.accessLifetimeSeconds = accessSeconds;
        this.refreshLifetimeSeconds = refreshSeconds;
    }

    /** Exchanges answer only in groups of {@code parties}, all at once, so that their tokens race to be stored. */
    public void answerExchangesTogether(int parties) {
        this.exchangeBarrier = parties < 2 ? null : new CyclicBarrier(parties);
    }

    /** The next refresh is refused as isv.refresh-token-invalid whatever its token (the provider lost the pair it issued). */
    public void refuseNextRefresh() {
        refusalsToCome.set(1);
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    public long refreshCalls() {
        return refreshCalls.get();
    }

    /** How many codes were presented to the token endpoint, accepted or not. */
    public long exchangeCalls() {
        return exchangeCalls.get();
    }

    /** Refresh calls for one app (the scheduler also refreshes grants other test classes left in the database). */
    public long refreshCalls(String appId) {
        AtomicLong calls = refreshCallsByApp.get(appId);
        return calls == null ? 0 : calls.get();
    }

    /** The calls for one app in order, each as "exchange V2", "refresh V3", …: which gateway each went through. */
    public List<String> gatewayCalls(String appId) {
        return List.copyOf(gatewayCallsByApp.getOrDefault(appId, List.of()));
    }

    /** Refresh tokens that were used more than once: each is a grant refreshed twice in one cycle. */
    public long refreshTokensUsedTwice() {
        return usesOfRefreshToken.values().stream().filter(n -> n.get() > 1).count();
    }

    public void reset() {
        codes.clear();
        refreshTokens.clear();
        usesOfRefreshToken.clear();
        refreshCalls.set(0);
        exchangeCalls.set(0);
        refreshCallsByApp.clear();
        gatewayCallsByApp.clear();
        mode = Mode.NORMAL;
        exchangeBarrier = null;
        refusalsToCome.set(0);
        accessLifetimeSeconds = 3600L;
        refreshLifetimeSeconds = 86_400L;
    }

    @Override
    public IssuedTokens exchange(AppRef app, String authCode) {
        exchangeCalls.incrementAndGet();
        gatewayCall(app, "exchange");
        String merchant = codes.remove(authCode);
        if (merchant == null) {
            throw new UpstreamFailure(Kind.INVALID_GRANT, "isv.code-invalid", "provider answered 40002 / isv.code-invalid");
        }
        IssuedTokens tokens = issue(new Lineage(merchant, 0));
        CyclicBarrier barrier = exchangeBarrier;
        if (barrier != null) {
            try {
                barrier.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new UpstreamFailure(Kind.LOST, "TIMEOUT", "the exchanges did not come together");
            }
        }
        return tokens;
    }

    @Override
    public IssuedTokens refresh(AppRef app, String refreshToken) {
        refreshCalls.incrementAndGet();
        refreshCallsByApp.computeIfAbsent(app.appId(), a -> new AtomicLong()).incrementAndGet();
        gatewayCall(app, "refresh");
        Mode now = mode;
        if (now == Mode.FAIL_RETRYABLE) {
            throw new UpstreamFailure(Kind.RETRYABLE, "HTTP_502", "token endpoint answered HTTP 502");
        }
        Lineage lineage = refreshTokens.get(refreshToken);
        if (lineage == null || now == Mode.INVALID_GRANT || refusalsToCome.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new UpstreamFailure(Kind.INVALID_GRANT, "isv.refresh-token-invalid", "provider answered 40002 / isv.refresh-token-invalid");
        }
        usesOfRefreshToken.computeIfAbsent(refreshToken, t -> new AtomicInteger()).incrementAndGet();
        IssuedTokens tokens = issue(new Lineage(lineage.merchantId(), lineage.generation() + 1));
        if (now == Mode.LOSE_RESPONSE) {
            throw new UpstreamFailure(Kind.LOST, "TIMEOUT", "the provider did not answer within PT10S");
        }
        return tokens;
    }

    private void gatewayCall(AppRef app, String call) {
        gatewayCallsByApp.computeIfAbsent(app.appId(), a -> new CopyOnWriteArrayList<>()).add(call + " " + app.gateway());
    }

    private IssuedTokens issue(Lineage lineage) {
        String access = "at-" + lineage.generation() + "-" + UUID.randomUUID();
        String refresh = "rt-" + lineage.generation() + "-" + UUID.randomUUID();
        refreshTokens.put(refresh, lineage);
        return new IssuedTokens(lineage.merchantId(), "auth-app-1", access, refresh, accessLifetimeSeconds, refreshLifetimeSeconds);
    }
}
