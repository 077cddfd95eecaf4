package io.keyfleet.signing.scheme;

import com.alipay.global.api.base64.Base64Encryptor;
import com.alipay.global.api.tools.SignatureTool;
import io.keyfleet.signing.crypto.RsaKeys;
import io.keyfleet.signing.crypto.RsaSigner;
import io.keyfleet.signing.crypto.RsaVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;

/** The fixed test key pairs in src/test/resources/keys (made once with OpenSSL) and the golden vectors. */
final class TestKeys {

    /** Our app's key pair: what signs requests. */
    static final String APP_PRIVATE = resource("keys/app-private.pem");
    static final String APP_PUBLIC = resource("keys/app-public.pem");
    /** Stands in for the provider's key pair: what signs responses and notifications. */
    static final String PROVIDER_PRIVATE = resource("keys/provider-private.pem");
    static final String PROVIDER_PUBLIC = resource("keys/provider-public.pem");

    static final Properties VECTORS = properties("golden/vectors.properties");

    private TestKeys() {
    }

    static RsaSigner appSigner(int version) {
        return new RsaSigner(version, RsaKeys.privateKey(APP_PRIVATE), Optional.empty());
    }

    static RsaSigner providerSigner() {
        return new RsaSigner(1, RsaKeys.privateKey(PROVIDER_PRIVATE), Optional.empty());
    }

    static RsaVerifier appVerifier() {
        return new RsaVerifier(RsaKeys.publicKey(APP_PUBLIC), Optional.empty());
    }

    static RsaVerifier providerVerifier() {
        return new RsaVerifier(RsaKeys.publicKey(PROVIDER_PUBLIC), Optional.empty());
    }

    /**
     * Antom's SDK encodes with javax.xml.bind by default, which Java 17 no longer has: plain base64 through the SDK's own
     * extension point.
     */
    static void antomSdkPlainBase64() {
        SignatureTool.setBase64Encryptor(new Base64Encryptor() {
            @Override
            public String encodeToString(byte[] bytes) {
                return Base64.getEncoder().encodeToString(bytes);
            }

            @Override
            public byte[] decode(String text) {
                return Base64.getDecoder().decode(text);
            }
        });
    }

    /** The bare base64 the providers' SDKs take. */
    static String bare(String pem) {
        return pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
    }

    static String resource(String name) {
        try (InputStream in = TestKeys.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties properties(String name) {
        try (InputStream in = TestKeys.class.getClassLoader().getResourceAsStream(name)) {
            Properties properties = new Properties();
            properties.load(in);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same bytes with one bit of one byte flipped. */
    static byte[] flipped(byte[] bytes, int index) {
        byte[] copy = bytes.clone();
        copy[index] ^= 0x01;
        return copy;
    }
}
