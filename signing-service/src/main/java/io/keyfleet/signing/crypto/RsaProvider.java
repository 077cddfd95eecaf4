package io.keyfleet.signing.crypto;

import io.keyfleet.kit.crypto.CryptoProviders;
import io.keyfleet.signing.support.SigningConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.Provider;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Which JCA provider does RSA signing here: Amazon Corretto Crypto Provider when it loads (and
 * {@code keyfleet.signing.accp} is not false), else the JDK's. Shown in liveness ({@link CryptoProviderCheck}) and as the gauge {@code keyfleet_signing_crypto_provider{provider=…}} = 1.
 */
@ApplicationScoped
public class RsaProvider {

    private static final Logger LOG = Logger.getLogger(RsaProvider.class);

    private final Optional<Provider> provider;
    private final String name;

    @Inject
    public RsaProvider(SigningConfig config, MeterRegistry registry) {
        this.provider = config.accp() ? CryptoProviders.accp() : Optional.empty();
        this.name = CryptoProviders.signatureProviderName("SHA256withRSA", provider);
        Gauge.builder("keyfleet.signing.crypto.provider", () -> 1).tag("provider", name)
                .description("The JCA provider that signs and verifies RSA (value always 1)").register(registry);
        LOG.infof("RSA signing uses %s%s", name, config.accp() && provider.isEmpty()
                ? " (Amazon Corretto Crypto Provider did not load: " + CryptoProviders.accpLoadingError() + ")" : "");
    }

    /** Empty: the JDK's default. */
    public Optional<Provider> provider() {
        return provider;
    }

    public String name() {
        return name;
    }
}
