package io.keyfleet.auth;

/**
 * How a request carries its credential over HTTP: either {@code Authorization: Bearer kf_live_…}, or a request signed
 * with a SecretId/SecretKey pair (see {@link RequestSignature}) in these four headers.
 */
public final class SignedRequestHeaders {

    public static final String AUTHORIZATION = "Authorization";
    public static final String SECRET_ID = "X-Keyfleet-SecretId";
    public static final String TIMESTAMP = "X-Keyfleet-Timestamp";
    public static final String NONCE = "X-Keyfleet-Nonce";
    public static final String SIGNATURE = "X-Keyfleet-Signature";

    private SignedRequestHeaders() {
    }
}
