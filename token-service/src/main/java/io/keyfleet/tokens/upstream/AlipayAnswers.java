package io.keyfleet.tokens.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import io.keyfleet.tokens.upstream.UpstreamFailure.Kind;
import java.util.Set;

/**
 * What the v2 and v3 answers of alipay.open.auth.token.app have in common, once their signature is verified: the token
 * fields of a success, and refusals sorted into {@link Kind}s by the provider's code.
 */
final class AlipayAnswers {

    private AlipayAnswers() {
    }

    /** The tokens of a success answer (v2: its response node, v3: the body). */
    static IssuedTokens issued(JsonNode answer) {
        String access = answer.path("app_auth_token").asText(null);
        String refresh = answer.path("app_refresh_token").asText(null);
        String merchant = answer.path("user_id").asText(null);
        if (access == null || refresh == null || merchant == null) {
            throw new UpstreamFailure(Kind.LOST, "MALFORMED_RESPONSE", "the provider's success answer lacks tokens or user_id");
        }
        return new IssuedTokens(merchant, answer.path("auth_app_id").asText(null), access, refresh,
                seconds(answer.path("expires_in")), seconds(answer.path("re_expires_in")));
    }

    /**
     * A refusal with the provider's code: INVALID_GRANT or CONFIGURATION when the code is in that set, else RETRYABLE.
     * {@code detail} says what the provider answered; it never holds a token or code.
     */
    static UpstreamFailure refused(String code, String detail, Set<String> invalidGrant, Set<String> configuration) {
        Kind kind = invalidGrant.contains(code) ? Kind.INVALID_GRANT : configuration.contains(code) ? Kind.CONFIGURATION : Kind.RETRYABLE;
        return new UpstreamFailure(kind, code, detail);
    }

    /** expires_in is a number in v2 answers and a string in v3 ones; absent, zero or unreadable means unknown. */
    static Long seconds(JsonNode value) {
        long seconds;
        if (value.isNumber()) {
            seconds = value.asLong();
        } else if (value.isTextual() && value.asText().matches("\\d{1,12}")) {
            seconds = Long.parseLong(value.asText());
        } else {
            return null;
        }
        return seconds > 0 ? seconds : null;
    }
}
