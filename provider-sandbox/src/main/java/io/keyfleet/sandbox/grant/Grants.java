package io.keyfleet.sandbox.grant;

import io.keyfleet.sandbox.app.SandboxApp;
import io.keyfleet.sandbox.support.Hashes;
import io.keyfleet.sandbox.support.SandboxClock;
import io.keyfleet.sandbox.support.SandboxConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Merchant consent, code exchange and refresh, as alipay.open.auth.token.app documents them:
 * <ul>
 *   <li>an app_auth_code is good for one exchange, within {@code keyfleet.sandbox.auth-code-lifetime} (24 h) of issue;
 *       two concurrent exchanges of one code: exactly one wins (a conditional update), the other gets isv.code-invalid;</li>
 *   <li>each exchange starts a grant (a refresh-token lineage); refreshing a generation-n refresh token issues a new pair
 *       of generation n+1;</li>
 *   <li>"after a refresh the old refresh_token expires after a while (re_expires_in)": a used refresh token stays usable
 *       for the app's refresh grace (default re_expires_in), never past its own expiry. Every use within the grace
 *       succeeds with a new pair, and every use is counted on the token and the grant, so a double refresh — two
 *       concurrent ones, or a retry after a lost response — shows in the stats. Uses of one token are serialised by a
 *       row lock.</li>
 * </ul>
 * Codes and tokens are stored only as SHA-256.
 */
@ApplicationScoped
public class Grants {

    private static final DateTimeFormatter TOKEN_PREFIX = DateTimeFormatter.ofPattern("yyyyMM").withZone(ZoneOffset.ofHours(8));

    @Inject
    SandboxClock clock;

    @Inject
    SandboxConfig config;

    public record IssuedCode(String appAuthCode, String appId, String userId, String authAppId, Instant expiresAt) {
    }

    @Transactional
    public IssuedCode issueCode(String appId, String userId, String authAppId) {
        Instant now = clock.now();
        String code = Hashes.randomHex(16);
        AuthCode issued = new AuthCode();
        issued.codeHash = Hashes.sha256Hex(code);
        issued.appId = appId;
        issued.userId = userId;
        issued.authAppId = authAppId;
        issued.issuedAt = now;
        issued.expiresAt = now.plus(config.authCodeLifetime());
        issued.persist();
        return new IssuedCode(code, appId, userId, authAppId, issued.expiresAt);
    }

    @Transactional
    public TokenIssue exchange(SandboxApp app, String code) throws GrantFailure {
        if (code == null || code.isBlank()) {
            throw new GrantFailure(GrantError.CODE_UNKNOWN);
        }
        Instant now = clock.now();
        String codeHash = Hashes.sha256Hex(code);
        if (!AuthCode.use(codeHash, app.appId(), now)) {
            throw new GrantFailure(whyCodeRefused(codeHash, app.appId()));
        }
        AuthCode used = AuthCode.findById(codeHash);
        AppGrant grant = new AppGrant();
        grant.appId = app.appId();
        grant.userId = used.userId;
        grant.authAppId = used.authAppId;
        grant.createdAt = now;
        grant.persist();
        return issuePair(app, grant, 0, null, now);
    }

    private static GrantError whyCodeRefused(String codeHash, String appId) {
        AuthCode code = AuthCode.findById(codeHash);
        if (code == null) {
            return GrantError.CODE_UNKNOWN;
        }
        if (!code.appId.equals(appId)) {
            return GrantError.APP_MISMATCH;
        }
        return code.usedAt != null ? GrantError.CODE_USED : GrantError.CODE_EXPIRED;
    }

    @Transactional
    public TokenIssue refresh(SandboxApp app, String refreshToken) throws GrantFailure {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw new GrantFailure(GrantError.REFRESH_TOKEN_UNKNOWN);
        }
        Instant now = clock.now();
        AppToken token = AppToken.<AppToken>find("refreshTokenHash", Hashes.sha256Hex(refreshToken))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (token == null) {
            throw new GrantFailure(GrantError.REFRESH_TOKEN_UNKNOWN);
        }
        AppGrant grant = AppGrant.findById(token.grantId);
        if (!grant.appId.equals(app.appId())) {
            throw new GrantFailure(GrantError.APP_MISMATCH);
        }
        if (!now.isBefore(token.refreshExpiresAt)) {
            throw new GrantFailure(GrantError.REFRESH_TOKEN_EXPIRED);
        }
        if (token.usableUntil != null && !now.isBefore(token.usableUntil)) {
            throw new GrantFailure(GrantError.REFRESH_TOKEN_SPENT);
        }
        if (token.firstUsedAt == null) {
            token.firstUsedAt = now;
        }
        if (token.usableUntil == null) {
            Instant graceEnd = now.plusSeconds(app.refreshGraceSeconds());
            token.usableUntil = graceEnd.isBefore(token.refreshExpiresAt) ? graceEnd : token.refreshExpiresAt;
        }
        token.timesRefreshed++;
        AppGrant.countRefresh(grant.id);
        return issuePair(app, grant, token.generation + 1, token.id, now);
    }

    private TokenIssue issuePair(SandboxApp app, AppGrant grant, int generation, Long parentId, Instant now) {
        String accessToken = newToken(now);
        String refreshToken = newToken(now);
        AppToken token = new AppToken();
        token.grantId = grant.id;
        token.generation = generation;
        token.parentId = parentId;
        token.accessTokenHash = Hashes.sha256Hex(accessToken);
        token.refreshTokenHash = Hashes.sha256Hex(refreshToken);
        token.issuedAt = now;
        token.accessExpiresAt = now.plusSeconds(app.accessLifetimeSeconds());
        token.refreshExpiresAt = now.plusSeconds(app.refreshLifetimeSeconds());
        token.persist();
        return new TokenIssue(grant.id, generation, grant.userId, grant.authAppId, accessToken, refreshToken, app.accessLifetimeSeconds(),
                app.refreshLifetimeSeconds(), app.omitExpiry());
    }

    /** The platform's look: issue month, "BB", 32 random hex digits — 40 characters. */
    private static String newToken(Instant now) {
        return TOKEN_PREFIX.format(now) + "BB" + Hashes.randomHex(16);
    }
}
