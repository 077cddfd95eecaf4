package io.keyfleet.kit.outbound;

import io.keyfleet.kit.problem.ProblemException;

/**
 * A tenant-supplied address the outbound policy refuses: a 400 with code {@link #SCHEME_REFUSED} or
 * {@link #ADDRESS_REFUSED}. Thrown before anything is connected.
 */
public class OutboundRefusedException extends ProblemException {

    public static final String SCHEME_REFUSED = "OUTBOUND_SCHEME_REFUSED";
    public static final String ADDRESS_REFUSED = "OUTBOUND_ADDRESS_REFUSED";

    private final String detail;

    OutboundRefusedException(String code, String detail) {
        super(400, code, "Outbound address refused", detail);
        this.detail = detail;
    }

    public String code() {
        return problem().code();
    }

    /** What was refused and why, for a person; names no resolved address. */
    public String detail() {
        return detail;
    }
}
