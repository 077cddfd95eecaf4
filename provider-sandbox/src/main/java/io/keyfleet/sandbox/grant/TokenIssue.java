package io.keyfleet.sandbox.grant;

/** A token pair just issued, with what the response reports about it. */
public record TokenIssue(long grantId, int generation, String userId, String authAppId, String appAuthToken,
                         String appRefreshToken, long expiresIn, long reExpiresIn, boolean omitExpiry) {
}
