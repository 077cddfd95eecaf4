package io.keyfleet.cli;

import io.keyfleet.launcher.KeyfleetService;
import io.keyfleet.launcher.LocalSecrets;

import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where key-service is: {@code --url}, else {@code KEYFLEET_KEY_SERVICE_URL} (both already in the
 * {@link KeyServiceTarget}), else the port a running {@code ./keyfleet up} recorded in {@code .keyfleet/run.json},
 * else {@value #DEFAULT_URL}.
 */
final class KeyServiceLocation {

    static final String DEFAULT_URL = "http://localhost:8081";

    private KeyServiceLocation() {
    }

    static URI resolve(Optional<URI> configured, Supplier<Optional<Integer>> portOfRunningUp) {
        if (configured.isPresent()) {
            return configured.get();
        }
        return portOfRunningUp.get()
                .map(port -> URI.create("http://localhost:" + port))
                .orElse(URI.create(DEFAULT_URL));
    }

    /**
     * key-service's port from the run file of the checkout this runs in, if its process still runs. No checkout, no
     * run file or an unreadable one all mean "not known": the default address is tried then.
     */
    static Optional<Integer> portOfRunningUp() {
        try {
            return portIn(ProjectLayout.locate());
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    /**
     * The API key management commands present: {@code KEYFLEET_API_KEY}, else the admin key key-service wrote into
     * this checkout's {@code .keyfleet/secrets} on its first start.
     */
    static Optional<String> apiKey(java.util.Map<String, String> environment) {
        String configured = environment.get("KEYFLEET_API_KEY");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(configured.strip());
        }
        try {
            return LocalSecrets.adminApiKey(ProjectLayout.locate().stateDirectory());
        } catch (IllegalStateException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    static Optional<Integer> portIn(ProjectLayout layout) {
        try {
            return RunFile.read(layout.runFile()).flatMap(run -> run.components().stream()
                    .filter(component -> component.name().equals(KeyfleetService.KEY_SERVICE.moduleName()))
                    .filter(component -> component.liveProcess().isPresent())
                    .map(RunFile.Component::port)
                    .findFirst());
        } catch (UncheckedIOException e) {
            return Optional.empty();
        }
    }
}
