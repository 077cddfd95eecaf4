package io.keyfleet.signing.crypto;

import io.keyfleet.kit.crypto.CryptoProviders;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Optional;

/** SHA256withRSA checks with one parsed public key and one {@link Signature} per thread. */
public final class RsaVerifier {

    private final ThreadLocal<Signature> signatures;

    public RsaVerifier(PublicKey key, Optional<Provider> provider) {
        this.signatures = ThreadLocal.withInitial(() -> {
            try {
                Signature signature = CryptoProviders.signature("SHA256withRSA", provider);
                signature.initVerify(key);
                return signature;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot verify with this key", e);
            }
        });
        signatures.get();
    }

    /** False for a wrong signature, including one of the wrong length or garbage. */
    public boolean verify(byte[] content, byte[] signature) {
        Signature verifier = signatures.get();
        try {
            verifier.update(content);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            signatures.remove(); // a failed verify() may leave state behind in some providers: start this thread afresh
            return false;
        }
    }
}
