package io.keyfleet.bench.keygen;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import io.keyfleet.bench.support.Load;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * RSA key generation in this JVM, the way key-service's {@code KeyPairFactory.generateNow} does it: a
 * {@code KeyPairGenerator} from the provider (asked for explicitly, never installed globally) for each pair, then
 * {@code KeyMaterial.of}'s normalisation: both keys re-built as JDK key objects, SHA-256 fingerprint of the public key.
 *
 * <p>key-service's classes are not on this app's classpath (its jar would bring its application.properties and its
 * Flyway migrations), and {@code KeyPairFactory}'s JDK-provider constructor is package-private; so the calls are
 * repeated here. Keep them in step with {@code KeyPairFactory.generateNow} and {@code KeyMaterial.of}.
 */
final class LocalKeygen {

    /** One case: a provider, a key size, a number of threads; its figures once measured. */
    record Case(String provider, int bits, int threads, Load.Result result) {
    }

    /** What to measure: {@code provider} null for the JDK's. */
    record Spec(Provider provider, int bits, int threads, Duration slice) {
    }

    private LocalKeygen() {
    }

    /** ACCP as key-service loads it, or null when its native library does not load here. */
    static Provider accp() {
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            return accp.getLoadingError() == null ? accp : null;
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    static String accpProblem() {
        try {
            Throwable error = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
            return error == null ? null : error.toString();
        } catch (LinkageError | RuntimeException e) {
            return e.toString();
        }
    }

    /** The JDK's RSA provider (what {@code KeyPairGenerator.getInstance("RSA")} picks), e.g. "SunRsaSign". */
    static String jdkProviderName() {
        try {
            return KeyPairGenerator.getInstance("RSA").getProvider().getName();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Measures the cases in {@code rounds} rounds, each case for its slice in every round, so that a change in the
     * machine's load during the run hits every case alike instead of the one that happened to run then.
     */
    static List<Case> measureInRounds(List<Spec> specs, int rounds) {
        List<List<Load.Result>> slices = new ArrayList<>();
        specs.forEach(spec -> slices.add(new ArrayList<>()));
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < specs.size(); i++) {
                Spec spec = specs.get(i);
                slices.get(i).add(measure(spec.provider(), spec.bits(), spec.threads(), spec.slice()).result());
            }
        }
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Spec spec = specs.get(i);
            cases.add(new Case(name(spec.provider()), spec.bits(), spec.threads(), Load.merge(slices.get(i))));
        }
        return cases;
    }

    /** Generates pairs back to back on {@code threads} threads for {@code duration} (plus the pairs in progress then). */
    static Case measure(Provider providerOrJdk, int bits, int threads, Duration duration) {
        String name = name(providerOrJdk);
        Load.Result result = Load.flatOut("keygen-" + name.toLowerCase() + "-" + bits, threads, duration,
                i -> generate(providerOrJdk, bits));
        if (result.failed() > 0) {
            throw new IllegalStateException(name + " RSA-" + bits + " generation failed: " + result.firstFailure(), result.firstFailure());
        }
        return new Case(name, bits, threads, result);
    }

    /** Warm-up: as {@link #measure}, figures thrown away. */
    static void warmUp(Provider providerOrJdk, int bits, Duration duration) {
        measure(providerOrJdk, bits, 1, duration);
    }

    private static String name(Provider providerOrJdk) {
        return providerOrJdk == null ? "JDK" : "ACCP";
    }

    static void generate(Provider providerOrJdk, int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = providerOrJdk != null
                ? KeyPairGenerator.getInstance("RSA", providerOrJdk) : KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        KeyPair pair = generator.generateKeyPair();
        // KeyMaterial.of: JDK key objects re-built from their values, and the public key's SHA-256 fingerprint
        KeyFactory factory = KeyFactory.getInstance("RSA");
        RSAPublicKey generated = (RSAPublicKey) pair.getPublic();
        PublicKey publicKey = factory.generatePublic(new RSAPublicKeySpec(generated.getModulus(), generated.getPublicExponent()));
        factory.generatePrivate(new PKCS8EncodedKeySpec(pair.getPrivate().getEncoded()));
        MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
    }
}
