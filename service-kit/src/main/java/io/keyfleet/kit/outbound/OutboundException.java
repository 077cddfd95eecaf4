package io.keyfleet.kit.outbound;

/** A call to a tenant-supplied address that the policy allowed but that gave no complete answer in bounds. */
public class OutboundException extends RuntimeException {

    public enum Kind {
        /** The host name does not resolve. */
        UNRESOLVED,
        /** Connecting or reading failed. */
        UNREACHABLE,
        /** The deadline (connect to last byte) passed. */
        TIMEOUT,
        /** The answer is larger than the caller's limit; reading stopped there and the connection was closed. */
        TOO_LARGE
    }

    private final Kind kind;

    public OutboundException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
