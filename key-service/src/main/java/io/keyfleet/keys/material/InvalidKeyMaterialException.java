package io.keyfleet.keys.material;

import io.keyfleet.kit.problem.ProblemException;

/**
 * A pasted or uploaded key that cannot be used. 400 when it is not a key at all (KEY_MALFORMED), 422 when it is a
 * well-formed thing that keyfleet will not take. Details say what was found and what to do; they never quote the
 * input, so a private key pasted into the wrong field does not end up in a response or a log.
 */
public class InvalidKeyMaterialException extends ProblemException {

    public static final String KEY_MALFORMED = "KEY_MALFORMED";
    public static final String KEY_IS_CERTIFICATE = "KEY_IS_CERTIFICATE";
    public static final String KEY_TOO_WEAK = "KEY_TOO_WEAK";
    public static final String KEY_UNSUPPORTED = "KEY_UNSUPPORTED";
    public static final String KEY_MISMATCH = "KEY_MISMATCH";
    public static final String KEY_WRONG_KIND = "KEY_WRONG_KIND";

    private InvalidKeyMaterialException(int status, String code, String title, String detail) {
        super(status, code, title, detail);
    }

    public String code() {
        return problem().code();
    }

    static InvalidKeyMaterialException malformed(String detail) {
        return new InvalidKeyMaterialException(400, KEY_MALFORMED, "Malformed key", detail);
    }

    static InvalidKeyMaterialException certificate(String detail) {
        return new InvalidKeyMaterialException(422, KEY_IS_CERTIFICATE, "Certificate instead of key", detail);
    }

    static InvalidKeyMaterialException tooWeak(String detail) {
        return new InvalidKeyMaterialException(422, KEY_TOO_WEAK, "Key too weak", detail);
    }

    static InvalidKeyMaterialException unsupported(String detail) {
        return new InvalidKeyMaterialException(422, KEY_UNSUPPORTED, "Unsupported key", detail);
    }

    static InvalidKeyMaterialException mismatch(String detail) {
        return new InvalidKeyMaterialException(422, KEY_MISMATCH, "Key pair mismatch", detail);
    }

    static InvalidKeyMaterialException wrongKind(String detail) {
        return new InvalidKeyMaterialException(422, KEY_WRONG_KIND, "Wrong kind of key", detail);
    }
}
