package io.keyfleet.signing.scheme;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
 * @param alternatives   other byte forms the provider may have signed, tried in order after {@code content} (as the
 *                       provider's own SDK tries them, e.g. Alipay's response text with {@code \/} unescaped); empty
 *                       for most schemes
 * @param certSn         the certificate the sender names as its signing one (Alipay's top-level {@code alipay_cert_sn} of
 *                       a response), as sent, or null; certificate mode picks the verifying certificate by it
 */
public record SignedMessage(byte[] content, byte[] signature, String keyVersionLabel, Instant timestamp, String notificationId,
                            List<byte[]> alternatives, String certSn) {

    public SignedMessage {
        alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
    }

    public SignedMessage(byte[] content, byte[] signature, String keyVersionLabel, Instant timestamp, String notificationId,
                         List<byte[]> alternatives) {
        this(content, signature, keyVersionLabel, timestamp, notificationId, alternatives, null);
    }

    public SignedMessage(byte[] content, byte[] signature, String keyVersionLabel, Instant timestamp, String notificationId) {
        this(content, signature, keyVersionLabel, timestamp, notificationId, List.of());
    }

    /** {@code content} first, then the alternatives. */
    public List<byte[]> candidates() {
        if (alternatives.isEmpty()) {
            return List.of(content);
        }
        List<byte[]> all = new ArrayList<>(alternatives.size() + 1);
        all.add(content);
        all.addAll(alternatives);
        return all;
    }
}
