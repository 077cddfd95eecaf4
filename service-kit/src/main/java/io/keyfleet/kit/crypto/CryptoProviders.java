package io.keyfleet.kit.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The JCA provider for RSA work: Amazon Corretto Crypto Provider (ACCP) when its native library loads on this
 * platform, else the JDK's. ACCP is asked for explicitly and never installed as a global provider, so TLS and
 * everything else keep the JDK's behaviour. Loaded once per JVM.
 */
public final class CryptoProviders {

    private static final Logger LOG = Logger.getLogger(CryptoProviders.class);

    private CryptoProviders() {
    }

    /** ACCP, or empty when it did not load here. */
    public static Optional<Provider> accp() {
        return Optional.ofNullable(Accp.PROVIDER);
    }

    /** Why ACCP did not load, or null when it did. */
    public static String accpLoadingError() {
        return Accp.ERROR;
    }

    public static KeyPairGenerator keyPairGenerator(String algorithm, Optional<Provider> provider) throws GeneralSecurityException {
        return provider.isPresent() ? KeyPairGenerator.getInstance(algorithm, provider.get()) : KeyPairGenerator.getInstance(algorithm);
    }

    public static Signature signature(String algorithm, Optional<Provider> provider) throws GeneralSecurityException {
        return provider.isPresent() ? Signature.getInstance(algorithm, provider.get()) : Signature.getInstance(algorithm);
    }

    /** The name of the provider that serves this algorithm, e.g. "AmazonCorrettoCryptoProvider" or "SunRsaSign". */
    public static String signatureProviderName(String algorithm, Optional<Provider> provider) {
        try {
            return signature(algorithm, provider).getProvider().getName();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Accp {
        static final String ERROR;
        static final Provider PROVIDER;

        static {
            Provider loaded = null;
            String error;
            try {
                AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
                Throwable loadingError = accp.getLoadingError();
                error = loadingError == null ? null : loadingError.toString();
                if (loadingError == null) {
                    loaded = accp;
                }
            } catch (LinkageError | RuntimeException e) {
                error = e.toString();
            }
            if (error != null) {
                LOG.infof("Amazon Corretto Crypto Provider did not load (%s); RSA work uses the JDK's provider", error);
            }
            ERROR = error;
            PROVIDER = loaded;
        }
    }
}
