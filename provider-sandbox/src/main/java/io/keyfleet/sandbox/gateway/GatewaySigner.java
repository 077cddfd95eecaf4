package io.keyfleet.sandbox.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.sandbox.support.Rsa;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.Charset;
import java.security.PrivateKey;
import java.util.Map;

/**
 * Writes and signs response bodies as the platform does. v2: the body is
 * {@code {"<method>_response":<inner>,"sign":"<base64>"}} in compact JSON, and the signature is RSA2 over exactly the
 * inner object's text in the request's charset — the SDK cuts that text out of the raw body (from the character after
 * {@code "<method>_response":} to the matching brace) and verifies it with the alipayPublicKey. v3: the signature is
 * over {@code timestamp\nnonce\nbody\n}, sent in the alipay-signature header.
 */
@ApplicationScoped
public class GatewaySigner {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Signs what BAD_SIGNATURE answers: a well-formed signature by a key that is not the platform's. */
    private static volatile PrivateKey strangerKey;

    @Inject
    PlatformKey platformKey;

    public enum Signing { PLATFORM, NONE, STRANGER }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String v2Body(String node, Map<String, Object> inner, Charset charset, Signing signing) {
        return v2Body(node, inner, charset, signing, null);
    }

    /**
     * As {@link #v2Body(String, Map, Charset, Signing)}; in certificate mode ({@code alipayCertSn} not null) a signed
     * answer names the platform certificate that signed it in {@code alipay_cert_sn}, between the node and the sign.
     */
    public String v2Body(String node, Map<String, Object> inner, Charset charset, Signing signing, String alipayCertSn) {
        String innerJson = json(inner);
        if (signing == Signing.NONE) {
            return "{\"" + node + "\":" + innerJson + "}";
        }
        String certSn = alipayCertSn == null ? "" : ",\"alipay_cert_sn\":\"" + alipayCertSn + "\"";
        return "{\"" + node + "\":" + innerJson + certSn + ",\"sign\":\"" + sign(innerJson, charset, signing) + "\"}";
    }

    public String sign(String content, Charset charset, Signing signing) {
        return Rsa.sign(content, charset, signing == Signing.STRANGER ? stranger() : platformKey.privateKey());
    }

    private static PrivateKey stranger() {
        if (strangerKey == null) {
            synchronized (GatewaySigner.class) {
                if (strangerKey == null) {
                    strangerKey = Rsa.generate().getPrivate();
                }
            }
        }
        return strangerKey;
    }
}
