package io.keyfleet.keys.secret;

/**
 * The backend could not do what was asked: Vault unreachable or refusing, a row that does not decrypt (wrong or
 * missing master key version, altered row). Never carries secret material.
 */
public class SecretStoreException extends RuntimeException {

    public SecretStoreException(String message) {
        super(message);
    }

    public SecretStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
