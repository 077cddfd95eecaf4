package io.keyfleet.tokens.grant;

import io.keyfleet.tokens.upstream.GatewayVersion;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON of /v1/grants. Tokens appear only in {@link CurrentToken}. */
public final class GrantApi {

    private GrantApi() {
    }

    public record ExchangeRequest(
            @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,39}", message = "must be 1-40 lower-case letters, digits or dashes, e.g. alipay") String provider,
            @NotNull @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "must be 1-64 letters, digits, _ or -") String appId,
            @NotNull @Pattern(regexp = "(?i)sandbox|production", message = "must be SANDBOX or PRODUCTION") String environment,
            @NotNull @Size(min = 1, max = 512) @Pattern(regexp = "[\\x21-\\x7e]+", message = "must be printable ASCII without spaces") String code,
            @Schema(description = "The provider gateway to exchange through, and to refresh the grant through from then on: "
                    + "V2 (alipay.open.auth.token.app on /gateway.do) or V3 (/v3/alipay/open/auth/token/app). Absent: "
                    + "keyfleet.tokens.default-gateway-version (V2 unless the operator set another).", enumeration = {"V2", "V3"})
            @Pattern(regexp = "(?i)v2|v3", message = "must be V2 or V3") String gatewayVersion) {

        @Override
        public String toString() {
            return "ExchangeRequest[" + provider + "/" + appId + "/" + environment + " " + gatewayVersion + "]"; // never the code
        }
    }

    public record RevokeRequest(@Size(max = 200) String reason) {
    }

    public record GrantView(String id, String provider, String appId, String environment, GatewayVersion gatewayVersion,
                            String merchantId, String authAppId, GrantStatus status, int tokenVersion, Instant accessExpiresAt,
                            Instant refreshExpiresAt, Instant nextRefreshAt, int failedAttempts, String lastError, Instant createdAt,
                            Instant updatedAt) {

        static GrantView of(Grant grant) {
            return new GrantView(grant.id, grant.provider, grant.appId, grant.environment, grant.gatewayVersion, grant.merchantId,
                    grant.authAppId, grant.status, grant.generation, grant.accessExpiresAt, grant.refreshExpiresAt,
                    grant.nextRefreshAt, grant.failedAttempts, grant.lastError, grant.createdAt, grant.updatedAt);
        }
    }

    public record GrantPage(List<GrantView> items, String nextAfter) {
    }

    /** The current access token (the merchant's app_auth_token). {@code expiresAt} null: the provider gave no expiry. */
    public record CurrentToken(String grantId, String accessToken, int tokenVersion, Instant expiresAt) {

        @Override
        public String toString() {
            return "CurrentToken[" + grantId + " v" + tokenVersion + "]";
        }
    }
}
