package io.keyfleet.sandbox.grant;

/** A refused exchange or refresh; nothing was changed. */
public class GrantFailure extends Exception {

    private final GrantError error;

    public GrantFailure(GrantError error) {
        super(error.subCode(), null, false, false);
        this.error = error;
    }

    public GrantError error() {
        return error;
    }
}
