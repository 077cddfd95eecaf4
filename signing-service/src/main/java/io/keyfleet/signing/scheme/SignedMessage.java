package io.keyfleet.signing.scheme;

import java.time.Instant;

/**
 * A received message taken apart by its scheme: exactly the bytes that were signed, the signature, and what the
 * checks around the signature need.
 *
 * @param content        the signed bytes
 * @param signature      the decoded signature
 * @param keyVersionLabel the provider's key label the message carries (Antom's {@code keyVersion}), as sent, or null.
 *                        Only reported: it is not signed and picks no key (the provider's SDK ignores it too)
 * @param timestamp      when the sender says it signed, or null when the scheme carries no time
 * @param notificationId the provider's id of a notification, or null
 */
public record SignedMessage(byte[] content, byte[] signature, String keyVersionLabel, Instant timestamp, String notificationId) {
}
