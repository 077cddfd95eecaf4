package io.keyfleet.keys.support;

import io.keyfleet.kit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The shared internal token of the internal admin API ({@code X-Keyfleet-Internal-Token} against
 * {@code keyfleet.internal.token}), until the credential system replaces it. Compared in constant time (over
 * SHA-256 digests, so not even the length leaks). No token configured: every call is refused.
 */
@ApplicationScoped
public class InternalToken {

    public static final String HEADER = "X-Keyfleet-Internal-Token";

    @ConfigProperty(name = "keyfleet.internal.token")
    Optional<String> token;

    public void require(String presented) {
        boolean ok = token.filter(t -> !t.isBlank()).isPresent() && presented != null
                && MessageDigest.isEqual(sha256(token.get()), sha256(presented));
        if (!ok) {
            throw new ProblemException(401, "INTERNAL_TOKEN_REQUIRED", "Unauthorized", "This internal API needs the"
                    + " header " + HEADER + " with the internal token (keyfleet.internal.token).");
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
