package io.keyfleet.signing.scheme;

import io.keyfleet.signing.api.MessageKind;

/**
 * One provider's signature format. A scheme builds the exact bytes to sign and what to attach, and takes a received
 * message apart into signed bytes and signature; keys and the cryptographic operation stay outside.
 */
public interface SignatureScheme {

    /** The name callers use, e.g. {@code alipay-rsa2}. */
    String name();

    /** The JCA algorithm of the signature, e.g. SHA256withRSA or HmacSHA256. */
    String algorithm();

    /** What to attach to an outgoing request. */
    Attachments sign(MessageParts parts, MessageSigner signer);

    /** The signed content and signature of a received message of this kind. */
    SignedMessage parse(MessageKind kind, MessageParts parts);
}
