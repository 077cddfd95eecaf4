package io.keyfleet.keys.secret;

/** The secret version does not exist or was destroyed. */
public class SecretNotFoundException extends RuntimeException {

    public SecretNotFoundException(String path, int version) {
        super("No secret at '" + path + "' version " + version + " (absent or destroyed)", null, false, false);
    }
}
