package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A merchant's authorization code was exchanged for tokens (the tokens themselves never leave token-service).
 * {@code tokenVersion} continues the grant's count when a merchant authorizes the app again. Expiries are null when
 * the provider gives none.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenIssued(String grantId, String provider, String appId, String environment, String merchantId,
                          int tokenVersion, Instant accessExpiresAt, Instant refreshExpiresAt) implements DomainEvent {

    public TokenIssued {
        Checks.text(grantId, "grantId");
        Checks.text(provider, "provider");
        Checks.text(appId, "appId");
        Checks.text(environment, "environment");
        Checks.text(merchantId, "merchantId");
        Checks.atLeast(tokenVersion, 1, "tokenVersion");
    }

    @Override
    public String aggregateId() {
        return grantId;
    }
}
