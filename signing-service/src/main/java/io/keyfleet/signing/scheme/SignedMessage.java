package io.keyfleet.signing.scheme;

import java.time.Instant;

/**
 * A received message taken apart by its scheme: exactly the bytes that were signed, the signature, and what the
 * checks around the signature need.
 *
 * @param content        the signed bytes
 * @param signature      the decoded signature
 * @param keyVersion     the key version the message names (Antom's keyVersion), or null
 * @param timestamp      when the sender says it signed, or null when the scheme carries no time
 * @param notificationId the provider's id of a notification, or null
 */
public record SignedMessage(byte[] content, byte[] signature, Integer keyVersion, Instant timestamp, String notificationId) {
}
