package io.keyfleet.keys.material;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.internal.util.AlipaySignature;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The provider's own SDK (com.alipay.sdk:alipay-sdk-java) accepts what we generate and what we import. */
class AlipaySignatureCompatibilityTest {

    private static final String CONTENT = "app_id=2021000000000000&biz_content={\"out_trade_no\":\"20260101-0001\","
            + "\"total_amount\":\"88.88\",\"subject\":\"测试订单\"}&charset=UTF-8&method=alipay.trade.page.pay"
            + "&sign_type=RSA2&timestamp=2026-01-01 12:00:00&version=1.0";

    private static final KeyPairFactory FACTORY = new KeyPairFactory(0, new SimpleMeterRegistry());

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    @Test
    void alipayVerifiesWhatAGeneratedKeySignsWithThePublicKeyAsPasted() throws Exception {
        KeyMaterial generated = FACTORY.generate(KeyAlgorithm.RSA_2048);
        String sign = Base64.getEncoder().encodeToString(TestKeys.sign(generated, CONTENT.getBytes(StandardCharsets.UTF_8)));

        assertThat(AlipaySignature.rsaCheck(CONTENT, sign, generated.publicKeyBase64(), "UTF-8", "RSA2")).isTrue();
        assertThat(AlipaySignature.rsaCheck(CONTENT + "&tampered", sign, generated.publicKeyBase64(), "UTF-8", "RSA2"))
                .isFalse();
    }

    @Test
    void theGeneratedPrivateKeyWorksInTheSdkAndWeVerifyItsSignatures() throws Exception {
        KeyMaterial generated = FACTORY.generate(KeyAlgorithm.RSA_2048);
        // what a user puts into the SDK's config: the PKCS#8 handed out once, without the PEM lines
        String sdkPrivateKey = generated.privateKeyPem().orElseThrow()
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");

        String sign = AlipaySignature.rsaSign(CONTENT, sdkPrivateKey, "UTF-8", "RSA2");

        assertThat(TestKeys.verifies(generated, CONTENT.getBytes(StandardCharsets.UTF_8), Base64.getDecoder().decode(sign)))
                .isTrue();
    }

    @Test
    void anImportedPairVerifiesWhatTheSdkSigned() throws Exception {
        KeyPair offline = TestKeys.rsa(2048); // made with a plain JDK generator, like an offline key tool
        String privateKeyBase64 = Base64.getEncoder().encodeToString(offline.getPrivate().getEncoded());
        String sign = AlipaySignature.rsaSign(CONTENT, privateKeyBase64, "UTF-8", "RSA2");

        KeyMaterial imported = KeyImport.importPair(TestKeys.pkcs8Pem(offline), TestKeys.spkiBase64(offline));

        assertThat(imported.algorithm()).isEqualTo(KeyAlgorithm.RSA_2048);
        assertThat(TestKeys.verifies(imported, CONTENT.getBytes(StandardCharsets.UTF_8), Base64.getDecoder().decode(sign)))
                .isTrue();
        assertThat(AlipaySignature.rsaCheck(CONTENT, sign, imported.publicKeyBase64(), "UTF-8", "RSA2")).isTrue();
        // and the imported private key signs exactly as the SDK does (PKCS#1 v1.5 is deterministic)
        assertThat(Base64.getEncoder().encodeToString(TestKeys.sign(imported, CONTENT.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(sign);
    }

    @Test
    void aPairImportedFromTheBareBase64ThatAlipaysKeyToolShowsWorksToo() throws Exception {
        KeyPair offline = TestKeys.rsa(2048);
        String privateKeyBase64 = Base64.getEncoder().encodeToString(offline.getPrivate().getEncoded());
        String sign = AlipaySignature.rsaSign(CONTENT, privateKeyBase64, "UTF-8", "RSA2");

        KeyMaterial imported = KeyImport.importPair(privateKeyBase64, TestKeys.spkiBase64(offline));

        assertThat(AlipaySignature.rsaCheck(CONTENT, sign, imported.publicKeyBase64(), "UTF-8", "RSA2")).isTrue();
    }
}
