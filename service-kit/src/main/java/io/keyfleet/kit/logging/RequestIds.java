package io.keyfleet.kit.logging;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/** The request id of the current request: taken from X-Request-Id when sane, otherwise made up; put in the log context. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private RequestIds() {
    }

    public static Optional<String> current() {
        Object value = MDC.get(MDC_KEY);
        return value == null ? Optional.empty() : Optional.of(value.toString());
    }

    /** A caller-supplied id is kept only if it is short and harmless in a log line. */
    public static String acceptOrCreate(String presented) {
        if (presented != null && ACCEPTABLE.matcher(presented).matches()) {
            return presented;
        }
        return UUID.randomUUID().toString();
    }
}
