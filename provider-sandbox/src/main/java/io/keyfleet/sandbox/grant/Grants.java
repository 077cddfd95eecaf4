package io.keyfleet.sandbox.grant;

import io.keyfleet.sandbox.app.SandboxApp;
import io.keyfleet.sandbox.support.Hashes;
import io.keyfleet.sandbox.support.SandboxClock;
import io.keyfleet.sandbox.support.SandboxConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javax.sql.DataSource;

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
    DataSource dataSource;

    @Inject
    SandboxClock clock;

    @Inject
    SandboxConfig config;

    public record IssuedCode(String appAuthCode, String appId, String userId, String authAppId, Instant expiresAt) {
    }

    @Transactional
    public IssuedCode issueCode(String appId, String userId, String authAppId) {
        Instant now = clock.now();
        Instant expiresAt = now.plus(config.authCodeLifetime());
        String code = Hashes.randomHex(16);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "insert into auth_code (code_hash, app_id, user_id, auth_app_id, issued_at, expires_at) values (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, Hashes.sha256Hex(code));
            insert.setString(2, appId);
            insert.setString(3, userId);
            insert.setString(4, authAppId);
            insert.setTimestamp(5, Timestamp.from(now));
            insert.setTimestamp(6, Timestamp.from(expiresAt));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new IssuedCode(code, appId, userId, authAppId, expiresAt);
    }

    @Transactional
    public TokenIssue exchange(SandboxApp app, String code) throws GrantFailure {
        if (code == null || code.isBlank()) {
            throw new GrantFailure(GrantError.CODE_UNKNOWN);
        }
        Instant now = clock.now();
        String codeHash = Hashes.sha256Hex(code);
        try (Connection connection = dataSource.getConnection()) {
            String userId;
            String authAppId;
            try (PreparedStatement use = connection.prepareStatement("""
                    update auth_code set used_at = ?
                    where code_hash = ? and app_id = ? and used_at is null and expires_at > ?
                    returning user_id, auth_app_id""")) {
                use.setTimestamp(1, Timestamp.from(now));
                use.setString(2, codeHash);
                use.setString(3, app.appId());
                use.setTimestamp(4, Timestamp.from(now));
                try (ResultSet row = use.executeQuery()) {
                    if (!row.next()) {
                        throw new GrantFailure(whyCodeRefused(connection, codeHash, app.appId()));
                    }
                    userId = row.getString(1);
                    authAppId = row.getString(2);
                }
            }
            long grantId;
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into app_grant (app_id, user_id, auth_app_id, created_at) values (?, ?, ?, ?) returning id")) {
                insert.setString(1, app.appId());
                insert.setString(2, userId);
                insert.setString(3, authAppId);
                insert.setTimestamp(4, Timestamp.from(now));
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    grantId = row.getLong(1);
                }
            }
            return issuePair(connection, app, grantId, 0, null, userId, authAppId, now);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static GrantError whyCodeRefused(Connection connection, String codeHash, String appId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("select app_id, used_at from auth_code where code_hash = ?")) {
            select.setString(1, codeHash);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return GrantError.CODE_UNKNOWN;
                }
                if (!row.getString(1).equals(appId)) {
                    return GrantError.APP_MISMATCH;
                }
                return row.getTimestamp(2) != null ? GrantError.CODE_USED : GrantError.CODE_EXPIRED;
            }
        }
    }

    @Transactional
    public TokenIssue refresh(SandboxApp app, String refreshToken) throws GrantFailure {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw new GrantFailure(GrantError.REFRESH_TOKEN_UNKNOWN);
        }
        Instant now = clock.now();
        try (Connection connection = dataSource.getConnection()) {
            long tokenId;
            long grantId;
            int generation;
            String userId;
            String authAppId;
            try (PreparedStatement select = connection.prepareStatement("""
                    select t.id, t.grant_id, t.generation, t.refresh_expires_at, t.usable_until, g.app_id, g.user_id, g.auth_app_id
                    from app_token t join app_grant g on g.id = t.grant_id
                    where t.refresh_token_hash = ?
                    for update of t""")) {
                select.setString(1, Hashes.sha256Hex(refreshToken));
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw new GrantFailure(GrantError.REFRESH_TOKEN_UNKNOWN);
                    }
                    if (!row.getString(6).equals(app.appId())) {
                        throw new GrantFailure(GrantError.APP_MISMATCH);
                    }
                    if (!now.isBefore(row.getTimestamp(4).toInstant())) {
                        throw new GrantFailure(GrantError.REFRESH_TOKEN_EXPIRED);
                    }
                    Timestamp usableUntil = row.getTimestamp(5);
                    if (usableUntil != null && !now.isBefore(usableUntil.toInstant())) {
                        throw new GrantFailure(GrantError.REFRESH_TOKEN_SPENT);
                    }
                    tokenId = row.getLong(1);
                    grantId = row.getLong(2);
                    generation = row.getInt(3);
                    userId = row.getString(7);
                    authAppId = row.getString(8);
                }
            }
            try (PreparedStatement use = connection.prepareStatement("""
                    update app_token set first_used_at = coalesce(first_used_at, ?),
                        usable_until = coalesce(usable_until, least(refresh_expires_at, ?)),
                        times_refreshed = times_refreshed + 1
                    where id = ?""")) {
                use.setTimestamp(1, Timestamp.from(now));
                use.setTimestamp(2, Timestamp.from(now.plusSeconds(app.refreshGraceSeconds())));
                use.setLong(3, tokenId);
                use.executeUpdate();
            }
            try (PreparedStatement count = connection.prepareStatement("update app_grant set refresh_count = refresh_count + 1 where id = ?")) {
                count.setLong(1, grantId);
                count.executeUpdate();
            }
            return issuePair(connection, app, grantId, generation + 1, tokenId, userId, authAppId, now);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private TokenIssue issuePair(Connection connection, SandboxApp app, long grantId, int generation, Long parentId,
                                 String userId, String authAppId, Instant now) throws SQLException {
        String accessToken = newToken(now);
        String refreshToken = newToken(now);
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into app_token (grant_id, generation, parent_id, access_token_hash, refresh_token_hash, issued_at,
                                       access_expires_at, refresh_expires_at)
                values (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setLong(1, grantId);
            insert.setInt(2, generation);
            if (parentId == null) {
                insert.setNull(3, java.sql.Types.BIGINT);
            } else {
                insert.setLong(3, parentId);
            }
            insert.setString(4, Hashes.sha256Hex(accessToken));
            insert.setString(5, Hashes.sha256Hex(refreshToken));
            insert.setTimestamp(6, Timestamp.from(now));
            insert.setTimestamp(7, Timestamp.from(now.plusSeconds(app.accessLifetimeSeconds())));
            insert.setTimestamp(8, Timestamp.from(now.plusSeconds(app.refreshLifetimeSeconds())));
            insert.executeUpdate();
        }
        return new TokenIssue(grantId, generation, userId, authAppId, accessToken, refreshToken, app.accessLifetimeSeconds(),
                app.refreshLifetimeSeconds(), app.omitExpiry());
    }

    /** The platform's look: issue month, "BB", 32 random hex digits — 40 characters. */
    private static String newToken(Instant now) {
        return TOKEN_PREFIX.format(now) + "BB" + Hashes.randomHex(16);
    }
}
