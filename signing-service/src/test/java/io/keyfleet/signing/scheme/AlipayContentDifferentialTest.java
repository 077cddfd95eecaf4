package io.keyfleet.signing.scheme;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.AlipayApiException;
import com.alipay.api.internal.util.AlipayEncrypt;
import io.keyfleet.signing.scheme.AlipayAesContent.Type;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Content encryption against alipay-sdk-java's {@code AlipayEncrypt} (encryptType AES and AES_V2), both ways, over
 * seeded random inputs: texts of unicode (CJK, emoji, lone surrogates, JSON), empty and large; charsets UTF-8, GBK and
 * GB2312; keys of 16, 24 and 32 bytes. AES has a zero IV, so our ciphertext must be the SDK's byte for byte; AES_V2 has a
 * random IV, so each side decrypts the other's. Ciphertexts of random bytes must fail where the SDK fails and decrypt to
 * what it decrypts to elsewhere. {@code -Dconformance.seed=…} replays a run, {@code -Dconformance.cases=…} runs longer.
 */
class AlipayContentDifferentialTest {

    private static final long SEED = Long.getLong("conformance.seed", System.nanoTime());
    private static final int CASES = Integer.getInteger("conformance.cases", 1500);
    private static final String[] CHARSETS = {"UTF-8", "GBK", "GB2312", "utf-8", "gbk"};
    private static final int[] KEY_BYTES = {16, 16, 24, 32};

    @Test
    void encryptsAndDecryptsAsTheSdk() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < CASES; i++) {
            byte[] key = bytes(random, KEY_BYTES[random.nextInt(KEY_BYTES.length)]);
            String base64Key = Base64.getEncoder().encodeToString(key);
            String charsetName = CHARSETS[random.nextInt(CHARSETS.length)];
            Charset charset = Charset.forName(charsetName);
            String plaintext = i % 500 == 7 ? text(random, 300_000 + random.nextInt(300_000)) : i % 50 == 3 ? "" : text(random, random.nextInt(400));
            String context = "seed " + SEED + " case " + i + " (" + charsetName + ", " + key.length + "-byte key): "
                    + (plaintext.length() > 200 ? plaintext.substring(0, 200) + "…" : plaintext);

            // AES: a zero IV, so the very same bytes
            String sdkAes = AlipayEncrypt.encryptContent(plaintext, "AES", base64Key, charsetName);
            String ourAes = AlipayAesContent.encrypt(plaintext, key, charset, Type.AES);
            assertThat(ourAes).as(context).isEqualTo(sdkAes);
            String sdkView = AlipayEncrypt.decryptContent(sdkAes, "AES", base64Key, charsetName);
            assertThat(ours(sdkAes, key, charset, Type.AES)).as(context).isEqualTo(sdkView);

            // AES_V2: a random IV; each decrypts the other's
            String sdkV2 = AlipayEncrypt.encryptContent(plaintext, "AES_V2", base64Key, charsetName);
            String ourV2 = AlipayAesContent.encrypt(plaintext, key, charset, Type.AES_V2);
            assertThat(AlipayEncrypt.decryptContent(ourV2, "AES_V2", base64Key, charsetName)).as(context).isEqualTo(sdkView);
            assertThat(ours(sdkV2, key, charset, Type.AES_V2)).as(context).isEqualTo(sdkView);
            assertThat(Base64.getDecoder().decode(ourV2)).as(context).hasSize(Base64.getDecoder().decode(sdkV2).length);
        }
    }

    /** Random ciphertexts (every length up to a few blocks): we refuse exactly what the SDK refuses, and agree on the rest. */
    @Test
    void refusesWhatTheSdkRefuses() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        List<String> agreedPlaintexts = new ArrayList<>();
        for (int i = 0; i < CASES * 4; i++) {
            byte[] key = bytes(random, KEY_BYTES[random.nextInt(KEY_BYTES.length)]);
            String base64Key = Base64.getEncoder().encodeToString(key);
            String charsetName = CHARSETS[random.nextInt(CHARSETS.length)];
            Type type = random.nextBoolean() ? Type.AES : Type.AES_V2;
            byte[] raw = bytes(random, random.nextInt(4) == 0 ? random.nextInt(80) : 16 * random.nextInt(6));
            String ciphertext = Base64.getEncoder().encodeToString(raw);
            String context = "seed " + SEED + " case " + i + " " + type + " " + raw.length + " bytes: " + ciphertext;

            String sdk;
            try {
                sdk = AlipayEncrypt.decryptContent(ciphertext, type.name(), base64Key, charsetName);
            } catch (AlipayApiException e) {
                sdk = null;
            }
            String ours;
            try {
                ours = ours(ciphertext, key, Charset.forName(charsetName), type);
            } catch (MalformedMessageException e) {
                ours = null;
            }
            assertThat(ours).as(context).isEqualTo(sdk);
            if (ours != null) {
                agreedPlaintexts.add(ours);
            }
        }
        assertThat(agreedPlaintexts).as("some random ciphertexts pass the padding check, as about 1 in 256 should").isNotEmpty();
    }

    @Test
    void noBlocksAtAllDecryptToTheEmptyTextAsInTheSdk() throws Exception {
        byte[] key = new byte[16];
        String base64Key = Base64.getEncoder().encodeToString(key);
        assertThat(AlipayEncrypt.decryptContent("", "AES", base64Key, "UTF-8")).isEmpty();
        assertThat(ours("", key, java.nio.charset.StandardCharsets.UTF_8, Type.AES)).isEmpty();
        String ivAlone = Base64.getEncoder().encodeToString(new byte[16]);
        assertThat(AlipayEncrypt.decryptContent(ivAlone, "AES_V2", base64Key, "UTF-8")).isEmpty();
        assertThat(ours(ivAlone, key, java.nio.charset.StandardCharsets.UTF_8, Type.AES_V2)).isEmpty();
    }

    @Test
    void refusesWhatIsNotBase64OrNotWholeBlocks() {
        byte[] key = new byte[16];
        for (String bad : new String[] {"***", "QUJD=", "QQ===", "AAAA AAAA", "QUJD", "AAAAAAAAAAAAAAAAAAAA" /* 15 bytes: less than V2's IV */}) {
            try {
                byte[] raw = AlipayAesContent.ciphertextBytes(bad, Type.AES_V2);
                throw new AssertionError("accepted '" + bad + "' as " + raw.length + " bytes");
            } catch (MalformedMessageException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    /** What the API answers: the plaintext as the SDK decodes it, or a refusal (null padding is one). */
    private static String ours(String ciphertext, byte[] key, Charset charset, Type type) {
        byte[] plaintext = AlipayAesContent.decrypt(AlipayAesContent.ciphertextBytes(ciphertext, type), key, type);
        if (plaintext == null) {
            throw new MalformedMessageException("padding");
        }
        return new String(plaintext, charset);
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** ASCII and JSON, Latin-1, CJK (GB2312's and beyond), emoji, now and then a lone surrogate or a control character. */
    private static String text(SplittableRandom random, int length) {
        StringBuilder s = new StringBuilder(length);
        while (s.length() < length) {
            int kind = random.nextInt(20);
            if (kind < 8) {
                s.append((char) (32 + random.nextInt(95)));
            } else if (kind < 10) {
                s.append("{\"k\":\"v\",\"n\":1}\\\n".charAt(random.nextInt(16)));
            } else if (kind < 15) {
                s.append((char) (0x4E00 + random.nextInt(0x9FA5 - 0x4E00)));
            } else if (kind < 16) {
                s.append((char) (0xA0 + random.nextInt(0x60)));
            } else if (kind < 18) {
                s.appendCodePoint(0x1F300 + random.nextInt(0x300));
            } else if (kind < 19) {
                s.append((char) (0xD800 + random.nextInt(0x800)));
            } else {
                s.append((char) random.nextInt(32));
            }
        }
        return s.toString();
    }
}
