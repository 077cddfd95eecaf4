package io.keyfleet.keys.secret;

/** A write whose version is not exactly the latest stored version + 1 (compare-and-set failed). */
public class SecretVersionConflictException extends RuntimeException {

    public SecretVersionConflictException(String path, int version) {
        super("Cannot store '" + path + "' version " + version + ": it exists already or version " + (version - 1)
                + " is not the latest stored version", null, false, false);
    }
}
