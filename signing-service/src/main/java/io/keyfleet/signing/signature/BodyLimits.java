package io.keyfleet.signing.signature;

import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.signing.scheme.AntomScheme;
import io.keyfleet.signing.scheme.SignatureScheme;
import io.keyfleet.signing.support.SigningConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;

/**
 * Each scheme's largest message body, as its provider's: Antom's is keyfleet.signing.antom.max-body-bytes (several MiB),
 * the others' keyfleet.signing.max-body-bytes. A larger body is a 413 BODY_TOO_LARGE problem.
 */
@ApplicationScoped
public class BodyLimits {

    /** No body of any scheme is longer than this many characters (a 400 from validation). */
    static final int CEILING_CHARS = 16 * 1024 * 1024;

    @Inject
    SigningConfig config;

    public void check(SignatureScheme scheme, String body) {
        if (body == null) {
            return;
        }
        long limit = AntomScheme.NAME.equals(scheme.name()) ? config.antom().maxBodyBytes() : config.maxBodyBytes();
        // a char is at most 3 UTF-8 bytes (a surrogate pair, 2 chars, is 4): only count the bytes of a body that may be over
        if ((long) body.length() * 3 > limit) {
            long bytes = body.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > limit) {
                throw new ProblemException(413, "BODY_TOO_LARGE", "Payload too large", "The " + scheme.name()
                        + " message body has " + bytes + " bytes (UTF-8); the limit is " + limit + " bytes.");
            }
        }
    }
}
