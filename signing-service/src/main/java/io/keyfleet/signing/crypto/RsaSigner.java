package io.keyfleet.signing.crypto;

import io.keyfleet.kit.crypto.CryptoProviders;
import io.keyfleet.signing.scheme.MessageSigner;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.util.Optional;

/**
 * SHA256withRSA with one parsed private key. Each thread keeps its own {@link Signature}, initialised with the key
 * once; {@code sign()} resets it for the next message, so the hot path neither parses keys nor looks up providers.
 */
public final class RsaSigner implements MessageSigner {

    private final int keyVersion;
    private final ThreadLocal<Signature> signatures;

    public RsaSigner(int keyVersion, PrivateKey key, Optional<Provider> provider) {
        this.keyVersion = keyVersion;
        this.signatures = ThreadLocal.withInitial(() -> {
            try {
                Signature signature = CryptoProviders.signature("SHA256withRSA", provider);
                signature.initSign(key);
                return signature;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot sign with this key", e);
            }
        });
        signatures.get(); // fail now, not on the first request, when the provider refuses the key
    }

    @Override
    public int keyVersion() {
        return keyVersion;
    }

    @Override
    public byte[] sign(byte[] content) {
        Signature signature = signatures.get();
        try {
            signature.update(content);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }
}
