package io.keyfleet.tokens.grant;

import io.keyfleet.events.TokenIssued;
import io.keyfleet.events.TokenRefreshFailed;
import io.keyfleet.events.TokenRefreshed;
import io.keyfleet.events.TokenRevoked;
import java.time.Instant;

/** The events of a grant's life, built from the grant row: ids, versions, expiries and reasons — never tokens. */
public final class GrantEvents {

    private GrantEvents() {
    }

    public static TokenIssued issued(Grant grant) {
        return new TokenIssued(grant.id, grant.provider, grant.appId, grant.environment, grant.merchantId, grant.generation,
                grant.accessExpiresAt, grant.refreshExpiresAt);
    }

    public static TokenRefreshed refreshed(Grant grant) {
        return new TokenRefreshed(grant.id, grant.provider, grant.appId, grant.merchantId, grant.generation,
                grant.accessExpiresAt, grant.refreshExpiresAt);
    }

    public static TokenRefreshFailed refreshFailed(Grant grant, String reason, boolean retryable, Instant nextAttemptAt) {
        return new TokenRefreshFailed(grant.id, grant.provider, grant.appId, grant.merchantId, Math.max(grant.failedAttempts, 1),
                reason, retryable, nextAttemptAt);
    }

    public static TokenRevoked revoked(Grant grant, String reason) {
        return new TokenRevoked(grant.id, grant.provider, grant.appId, grant.merchantId, grant.generation, reason);
    }
}
