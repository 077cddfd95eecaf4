package io.keyfleet.sandbox.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alipay.api.internal.util.AlipaySignature;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The gateway rebuilds the string the SDK signed from the encoded query and form, in the request's charset. */
class GatewayParamsTest {

    private static final Map<String, String> SENT = Map.of(
            "app_id", "2021000000000001", "method", "alipay.open.auth.token.app", "charset", "GBK", "sign_type", "RSA2",
            "timestamp", "2026-01-01 12:00:00", "version", "1.0", "format", "json", "sign", "c2lnbg==",
            "biz_content", "{\"grant_type\":\"authorization_code\",\"code\":\"授权码 & = +\"}");

    @Test
    void signContentIsWhatTheSdkSignsWhateverTheCharset() throws Exception {
        Charset gbk = Charset.forName("GBK");
        StringBuilder query = new StringBuilder();
        StringBuilder form = new StringBuilder();
        SENT.forEach((name, value) -> ("biz_content".equals(name) ? form : query)
                .append(query.isEmpty() && !"biz_content".equals(name) ? "" : "&").append(name).append('=')
                .append(URLEncoder.encode(value, gbk)));

        GatewayParams params = GatewayParams.parse(query.toString(), form.toString().replaceFirst("^&", ""));

        Map<String, String> withoutSign = new TreeMap<>(SENT);
        withoutSign.remove("sign");
        assertThat(params.charset()).isEqualTo(gbk);
        assertThat(params.get("biz_content")).isEqualTo(SENT.get("biz_content"));
        assertThat(params.signContent()).isEqualTo(AlipaySignature.getSignContent(withoutSign));
    }

    @Test
    void withoutACharsetParameterItIsUtf8AndAnUnknownOneIsRefused() throws Exception {
        assertThat(GatewayParams.parse("a=%E6%8E%88", null).get("a")).isEqualTo("授");
        assertThat(GatewayParams.parse("a=%E6%8E%88", null).charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> GatewayParams.parse("charset=klingon", "")).isInstanceOf(GatewayParams.UnknownCharset.class);
    }
}
