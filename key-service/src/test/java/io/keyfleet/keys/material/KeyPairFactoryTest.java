package io.keyfleet.keys.material;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyPairFactoryTest {

    private static final KeyPairFactory FACTORY = new KeyPairFactory(0, new SimpleMeterRegistry());

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void generatesTheRequestedKeyWithConsistentEncodings(KeyAlgorithm algorithm) throws Exception {
        KeyMaterial material = FACTORY.generate(algorithm);

        assertThat(material.algorithm()).isEqualTo(algorithm);
        assertThat(material.canSign()).isTrue();
        switch (algorithm.family()) {
            case "RSA" -> {
                RSAPublicKey rsa = (RSAPublicKey) material.publicKey();
                assertThat(rsa.getModulus().bitLength()).isEqualTo(algorithm.keySize());
                assertThat(((RSAPrivateCrtKey) material.privateKey().orElseThrow()).getModulus()).isEqualTo(rsa.getModulus());
            }
            case "EC" -> assertThat(((ECPublicKey) material.publicKey()).getParams().toString()).contains("secp256r1");
            default -> assertThat(((EdECPublicKey) material.publicKey()).getParams().getName()).isEqualTo("Ed25519");
        }

        byte[] spki = material.publicKey().getEncoded();
        assertThat(material.fingerprint())
                .hasSize(64)
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki)));
        assertThat(Base64.getDecoder().decode(material.publicKeyBase64())).isEqualTo(spki);
        assertThat(material.publicKeyBase64()).doesNotContain("\n", " ");
        assertThat(material.publicKeyPem()).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        assertThat(material.publicKeyPem().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
        assertThat(material.privateKeyPem().orElseThrow()).startsWith("-----BEGIN PRIVATE KEY-----\n");

        // what the user downloads comes back as the same key
        assertThat(KeyImport.importPublicKey(material.publicKeyPem()).fingerprint()).isEqualTo(material.fingerprint());
        assertThat(KeyImport.importPublicKey(material.publicKeyBase64()).fingerprint()).isEqualTo(material.fingerprint());
        KeyMaterial pair = KeyImport.importPair(material.privateKeyPem().orElseThrow(), material.publicKeyBase64());
        assertThat(pair.algorithm()).isEqualTo(algorithm);
        assertThat(pair.fingerprint()).isEqualTo(material.fingerprint());
        assertThat(pair.privateKeyPkcs8().orElseThrow()).isEqualTo(material.privateKeyPkcs8().orElseThrow());
        assertThat(KeyImport.importPair(material.privateKeyPem().orElseThrow(), null).fingerprint())
                .isEqualTo(material.fingerprint());

        // it signs, and its public key verifies with the algorithm's JCA signature
        byte[] data = "app_id=2021000000000000&method=alipay.trade.pay".getBytes(StandardCharsets.UTF_8);
        byte[] signature = TestKeys.sign(material, data);
        assertThat(TestKeys.verifies(material, data, signature)).isTrue();
        assertThat(TestKeys.verifies(pair, data, signature)).isTrue();
        data[0] ^= 1;
        assertThat(TestKeys.verifies(material, data, signature)).isFalse();
    }

    @Test
    void everyPairIsNew() {
        Set<String> fingerprints = Stream.of(KeyAlgorithm.RSA_2048, KeyAlgorithm.RSA_2048, KeyAlgorithm.EC_P256,
                        KeyAlgorithm.EC_P256, KeyAlgorithm.ED25519, KeyAlgorithm.ED25519)
                .map(a -> FACTORY.generate(a).fingerprint()).collect(Collectors.toSet());
        assertThat(fingerprints).hasSize(6);
    }

    @Test
    void rsaComesFromCorrettoWhenItLoadsButItIsNotInstalledGlobally() {
        String expected = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError() == null
                ? "AmazonCorrettoCryptoProvider" : "SunRsaSign";
        assertThat(FACTORY.providerName(KeyAlgorithm.RSA_2048)).isEqualTo(expected);
        assertThat(FACTORY.providerName(KeyAlgorithm.RSA_4096)).isEqualTo(expected);
        assertThat(FACTORY.providerName(KeyAlgorithm.EC_P256)).isEqualTo("SunEC");
        assertThat(FACTORY.providerName(KeyAlgorithm.ED25519)).isEqualTo("SunEC");

        FACTORY.generate(KeyAlgorithm.RSA_2048);
        assertThat(Arrays.stream(Security.getProviders()).map(Provider::getName))
                .doesNotContain("AmazonCorrettoCryptoProvider", "BC");
        // the keys handed out are plain JDK keys whichever provider made them
        assertThat(FACTORY.generate(KeyAlgorithm.RSA_2048).privateKey().orElseThrow().getClass().getName())
                .startsWith("sun.security.");
    }

    @Test
    void jdkOnlyWhenCorrettoIsSwitchedOff() {
        try (KeyPairFactory jdk = new KeyPairFactory(new SimpleMeterRegistry(), 0, false)) {
            assertThat(jdk.providerName(KeyAlgorithm.RSA_2048)).isEqualTo("SunRsaSign");
            assertThat(((RSAPublicKey) jdk.generate(KeyAlgorithm.RSA_2048).publicKey()).getModulus().bitLength())
                    .isEqualTo(2048);
        }
    }

    @Test
    void poolServesReadyPairsAndRefillsInTheBackground() {
        MeterRegistry registry = new SimpleMeterRegistry();
        KeyPairFactory factory = new KeyPairFactory(2, registry);
        try {
            factory.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> factory.ready() == 2);
            assertThat(registry.get("keyfleet.keys.pool.ready").gauge().value()).isEqualTo(2.0);

            KeyMaterial first = factory.generate(KeyAlgorithm.RSA_2048);
            KeyMaterial second = factory.generate(KeyAlgorithm.RSA_2048);
            assertThat(count(registry, "keyfleet.keys.pool.hits")).isEqualTo(2);
            assertThat(count(registry, "keyfleet.keys.pool.misses")).isZero();

            KeyMaterial third = factory.generate(KeyAlgorithm.RSA_2048); // refilled by now, or made inline
            assertThat(count(registry, "keyfleet.keys.pool.hits") + count(registry, "keyfleet.keys.pool.misses"))
                    .isEqualTo(3);
            assertThat(Set.of(first.fingerprint(), second.fingerprint(), third.fingerprint())).hasSize(3);
            assertThat(first.canSign()).isTrue();

            factory.generate(KeyAlgorithm.RSA_3072); // other algorithms never touch the pool
            assertThat(count(registry, "keyfleet.keys.pool.hits") + count(registry, "keyfleet.keys.pool.misses"))
                    .isEqualTo(3);

            await().atMost(Duration.ofSeconds(30)).until(() -> factory.ready() == 2);
            assertThat(factory.refillRunning()).isTrue();
        } finally {
            factory.close();
        }
        assertThat(factory.refillRunning()).isFalse();
        assertThat(factory.ready()).isZero();
        factory.start(); // a closed factory stays closed
        assertThat(factory.refillRunning()).isFalse();
    }

    @Test
    void closeStopsTheRefillThreadWhileItIsGenerating() {
        KeyPairFactory factory = new KeyPairFactory(16, new SimpleMeterRegistry());
        factory.start();
        assertThat(factory.refillRunning()).isTrue();
        factory.close();
        assertThat(factory.refillRunning()).isFalse();
        assertThat(factory.ready()).isZero();
    }

    @Test
    void sizeZeroMeansNoPoolAndNoThread() {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (KeyPairFactory factory = new KeyPairFactory(0, registry)) {
            factory.start();
            assertThat(factory.refillRunning()).isFalse();
            assertThat(factory.generate(KeyAlgorithm.RSA_2048).algorithm()).isEqualTo(KeyAlgorithm.RSA_2048);
            assertThat(count(registry, "keyfleet.keys.pool.hits")).isZero();
            assertThat(registry.get("keyfleet.keys.pool.ready").gauge().value()).isZero();
        }
    }

    @Test
    void algorithmFacts() {
        assertThat(Arrays.stream(KeyAlgorithm.values()).map(KeyAlgorithm::family))
                .containsExactly("RSA", "RSA", "RSA", "EC", "Ed25519");
        assertThat(KeyAlgorithm.RSA_3072.isRsa()).isTrue();
        assertThat(KeyAlgorithm.EC_P256.isRsa()).isFalse();
        assertThat(KeyAlgorithm.RSA_4096.jcaSignatureAlgorithm()).isEqualTo("SHA256withRSA");
        assertThat(KeyAlgorithm.EC_P256.jcaSignatureAlgorithm()).isEqualTo("SHA256withECDSA");
        assertThat(KeyAlgorithm.ED25519.jcaSignatureAlgorithm()).isEqualTo("Ed25519");
    }

    private static double count(MeterRegistry registry, String name) {
        return registry.get(name).counter().count();
    }
}
