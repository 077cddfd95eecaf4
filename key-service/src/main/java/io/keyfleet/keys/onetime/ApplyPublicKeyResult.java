package io.keyfleet.keys.onetime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The response of {@code applyPublicKey}, in the source's wire format exactly:
 * {@code {"result":{"resultStatus","resultCode","resultMessage"},"publicKeyInfo":{"uniqueId","salt","publicKey"}}},
 * every value a string, {@code publicKeyInfo} only on success.
 */
@JsonPropertyOrder({"result", "publicKeyInfo"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApplyPublicKeyResult(Result result, PublicKeyInfo publicKeyInfo) {

    /** The result codes of the source and the status each comes with. */
    public enum Code {
        SUCCESS("S", "success"),
        /** Reserved: key-service holds no customer register, so it never answers this today. */
        USER_STATUS_ABNORMAL("F", "the customer's status is abnormal"),
        PARAM_ILLEGAL("F", "illegal parameter"),
        PROCESS_FAIL("F", "the key could not be issued; try again"),
        UNKNOWN_EXCEPTION("U", "unknown exception; try again");

        public final String status;
        public final String defaultMessage;

        Code(String status, String defaultMessage) {
            this.status = status;
            this.defaultMessage = defaultMessage;
        }
    }

    @JsonPropertyOrder({"resultStatus", "resultCode", "resultMessage"})
    public record Result(String resultStatus, String resultCode, String resultMessage) {
    }

    @JsonPropertyOrder({"uniqueId", "salt", "publicKey"})
    public record PublicKeyInfo(String uniqueId, String salt, String publicKey) {
    }

    public static ApplyPublicKeyResult success(PublicKeyInfo info) {
        return new ApplyPublicKeyResult(result(Code.SUCCESS, Code.SUCCESS.defaultMessage), info);
    }

    public static ApplyPublicKeyResult failure(Code code, String message) {
        if (code == Code.SUCCESS) {
            throw new IllegalArgumentException("SUCCESS carries publicKeyInfo");
        }
        return new ApplyPublicKeyResult(result(code, message == null ? code.defaultMessage : message), null);
    }

    private static Result result(Code code, String message) {
        return new Result(code.status, code.name(), message);
    }
}
