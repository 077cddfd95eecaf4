package io.keyfleet.kit.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Secret values anyone can read: the demo, test and default values published with Keyfleet, listed in
 * {@value #RESOURCE}. A value matches when it equals one of them once surrounding blanks and trailing base64 padding
 * are removed.
 */
public final class KnownSecrets {

    static final String RESOURCE = "META-INF/keyfleet/known-secrets.txt";

    private final Set<String> values;

    private KnownSecrets(Set<String> values) {
        this.values = values;
    }

    /** The list shipped in service-kit. */
    public static KnownSecrets shipped() {
        try (InputStream in = KnownSecrets.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from service-kit");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    /** One value per line; blank lines and lines starting with {@code #} are skipped. */
    static KnownSecrets parse(String text) {
        return new KnownSecrets(text.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(KnownSecrets::normalize).collect(Collectors.toUnmodifiableSet()));
    }

    public boolean contains(String value) {
        return value != null && !value.isBlank() && values.contains(normalize(value));
    }

    int size() {
        return values.size();
    }

    private static String normalize(String value) {
        String stripped = value.strip();
        int end = stripped.length();
        while (end > 0 && stripped.charAt(end - 1) == '=') {
            end--;
        }
        return stripped.substring(0, end);
    }
}
