package io.keyfleet.signing.scheme;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every scheme by name. */
public final class SignatureSchemes {

    private static final Map<String, SignatureScheme> BY_NAME = List.of(new AlipayRsa2Scheme(), new AlipayRsa2CertScheme(), new AlipayV3Scheme(),
            new AntomScheme(), new KeyfleetHmacScheme()).stream().collect(Collectors.toUnmodifiableMap(SignatureScheme::name, Function.identity()));

    private SignatureSchemes() {
    }

    public static Optional<SignatureScheme> byName(String name) {
        return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
    }

    public static List<String> names() {
        return BY_NAME.keySet().stream().sorted().toList();
    }
}
