package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** A refresh attempt failed; {@code nextAttemptAt} is null when no retry is scheduled. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenRefreshFailed(String grantId, String provider, String appId, String merchantId, int attempt,
                                 String reason, boolean retryable, Instant nextAttemptAt) implements DomainEvent {

    public TokenRefreshFailed {
        Checks.text(grantId, "grantId");
        Checks.text(provider, "provider");
        Checks.text(appId, "appId");
        Checks.text(merchantId, "merchantId");
        Checks.atLeast(attempt, 1, "attempt");
        Checks.text(reason, "reason");
    }

    @Override
    public String aggregateId() {
        return grantId;
    }
}
