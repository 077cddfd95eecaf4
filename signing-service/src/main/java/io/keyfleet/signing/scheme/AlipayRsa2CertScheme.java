package io.keyfleet.signing.scheme;

import io.keyfleet.signing.api.MessageKind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Alipay OpenAPI v2 in public-key certificate mode, sign_type RSA2: as {@link AlipayRsa2Scheme}, and, as the SDK's
 * certificate client ({@code DefaultAlipayClient(CertAlipayRequest)}) does, every request carries {@code app_cert_sn}
 * (the SN of the app's public-key certificate) and {@code alipay_root_cert_sn} (the SN of the Alipay root bundle),
 * which are signed with the other parameters. The scheme needs both among the parameters when it signs (signing-service
 * puts them there from the certificates key-service holds, whatever the caller sent) and attaches them with
 * {@code sign}. Responses name the certificate that signed them in the top-level {@code alipay_cert_sn}
 * ({@link SignedMessage#certSn()}); which certificate that is, and whether it is still good, is the caller's to judge.
 */
public final class AlipayRsa2CertScheme implements SignatureScheme {

    public static final String NAME = "alipay-rsa2-cert";
    public static final String APP_CERT_SN = "app_cert_sn";
    public static final String ROOT_CERT_SN = "alipay_root_cert_sn";

    private final AlipayRsa2Scheme rsa2 = new AlipayRsa2Scheme();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String algorithm() {
        return rsa2.algorithm();
    }

    @Override
    public Attachments sign(MessageParts parts, MessageSigner signer) {
        String appCertSn = parts.params().get(APP_CERT_SN);
        String rootCertSn = parts.params().get(ROOT_CERT_SN);
        if (AlipayRsa2Scheme.blank(appCertSn) || AlipayRsa2Scheme.blank(rootCertSn)) {
            throw new MalformedMessageException("params.app_cert_sn and params.alipay_root_cert_sn are required in certificate mode");
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put(APP_CERT_SN, appCertSn);
        params.put(ROOT_CERT_SN, rootCertSn);
        params.putAll(rsa2.sign(parts, signer).params());
        return new Attachments(Map.of(), params);
    }

    @Override
    public SignedMessage parse(MessageKind kind, MessageParts parts) {
        return rsa2.parse(kind, parts);
    }

    /** The parts with {@code app_cert_sn} and {@code alipay_root_cert_sn} set to these SNs (the caller's values replaced). */
    public static MessageParts withCertSns(MessageParts parts, String appCertSn, String rootCertSn) {
        Map<String, String> params = new LinkedHashMap<>(parts.params());
        params.put(APP_CERT_SN, appCertSn);
        params.put(ROOT_CERT_SN, rootCertSn);
        return new MessageParts(parts.method(), parts.path(), parts.query(), parts.body(), params, parts.headers(), parts.appId(),
                parts.clientId(), parts.nonce(), parts.timestamp(), parts.appAuthToken(), parts.apiMethod(), parts.notificationId(),
                parts.charset(), parts.notificationForm(), parts.keyVersionLabel());
    }
}
