package io.keyfleet.sandbox.grant;

/**
 * Why alipay.open.auth.token.app refused, with the sub_code of the v2 gateway (always under code 40002 Invalid
 * Arguments) and the code of the v3 API (HTTP 400), as the platform's documentation and the official SDKs' models
 * (AlipayOpenAuthTokenAppErrorResponseModel.CodeEnum) list them.
 */
public enum GrantError {
    GRANT_TYPE_INVALID("isv.grant-type-invalid", "grant_type参数不正确", "GRANT_TYPE_INVALID"),
    CODE_UNKNOWN("isv.code-invalid", "授权码(app_auth_code)不存在", "AUTH_CODE_NOT_EXIST"),
    CODE_USED("isv.code-invalid", "授权码(app_auth_code)已使用", "AUTH_CODE_NOT_VALID"),
    CODE_EXPIRED("isv.code-invalid", "授权码(app_auth_code)已过期", "AUTH_CODE_NOT_VALID"),
    REFRESH_TOKEN_UNKNOWN("isv.refresh-token-invalid", "刷新令牌(refresh_token)错误", "REFRESH_TOKEN_NOT_EXIST"),
    REFRESH_TOKEN_SPENT("isv.refresh-token-invalid", "刷新令牌(refresh_token)状态不对: 已刷新且宽限期已过", "REFRESH_TOKEN_NOT_VALID"),
    REFRESH_TOKEN_EXPIRED("isv.refresh-token-time-out", "刷新令牌(refresh_token)过期", "REFRESH_TOKEN_TIME_OUT"),
    APP_MISMATCH("isv.unmatched-app-id", "调用接口的应用标识(app_id)与令牌授权的应用不相符", "APP_ID_NOT_CONSISTENT");

    private final String subCode;
    private final String subMsg;
    private final String v3Code;

    GrantError(String subCode, String subMsg, String v3Code) {
        this.subCode = subCode;
        this.subMsg = subMsg;
        this.v3Code = v3Code;
    }

    public String subCode() {
        return subCode;
    }

    public String subMsg() {
        return subMsg;
    }

    public String v3Code() {
        return v3Code;
    }
}
