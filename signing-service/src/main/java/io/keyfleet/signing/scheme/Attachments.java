package io.keyfleet.signing.scheme;

import java.util.Map;

/** What to attach to the outgoing request: headers and/or parameters, in the order they were produced. */
public record Attachments(Map<String, String> headers, Map<String, String> params) {

    public Attachments {
        headers = headers == null ? Map.of() : headers;
        params = params == null ? Map.of() : params;
    }
}
