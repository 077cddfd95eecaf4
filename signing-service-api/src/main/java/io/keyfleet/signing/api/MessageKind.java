package io.keyfleet.signing.api;

/** What is being checked: it decides which key verifies it and where the signature sits. */
public enum MessageKind {
    /** A request signed with an app's own key (e.g. one our sandbox receives). Verified with the app's public key. */
    REQUEST,
    /** A provider's answer to our request. Verified with the provider's public key. */
    RESPONSE,
    /** A provider's asynchronous notification to us. Verified with the provider's public key. */
    NOTIFICATION
}
