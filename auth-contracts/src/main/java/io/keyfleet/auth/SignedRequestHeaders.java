package io.keyfleet.auth;

/**
 * How a request carries its credential over HTTP: either {@code Authorization: Bearer kf_live_…}, or a request signed
 * with a SecretId/SecretKey pair (see {@link RequestSignature}) in the SecretId, timestamp, nonce, signature and
 * signature-version headers. {@link #TENANT} names the tenant a request acts for; a signed request covers it.
 */
public final class SignedRequestHeaders {

    public static final String AUTHORIZATION = "Authorization";
    public static final String SECRET_ID = "X-Keyfleet-SecretId";
    public static final String TIMESTAMP = "X-Keyfleet-Timestamp";
    public static final String NONCE = "X-Keyfleet-Nonce";
    public static final String SIGNATURE = "X-Keyfleet-Signature";
    /** Which string to sign the signature covers ({@link RequestSignature.Version}); absent means the deprecated v1. */
    public static final String SIGNATURE_VERSION = "X-Keyfleet-Signature-Version";
    /** The tenant the request acts for; a credential of the system tenant may name any tenant here. */
    public static final String TENANT = "X-Keyfleet-Tenant";

    private SignedRequestHeaders() {
    }
}
