package io.keyfleet.signing.scheme;

/**
 * The message is well-formed but refused before any signature is checked, with its own reason code (e.g. a response
 * with a second, unsigned answer node). Verification answers it as {@code valid: false} with this reason, not as a 400.
 */
public class RefusedMessageException extends RuntimeException {

    private final String reason;
    private final String providerCode;

    public RefusedMessageException(String reason, String detail, String providerCode) {
        super(detail, null, false, false);
        this.reason = reason;
        this.providerCode = providerCode;
    }

    public String reason() {
        return reason;
    }

    /** The provider's own error code the message carries (e.g. Alipay's sub_code), or null. */
    public String providerCode() {
        return providerCode;
    }
}
