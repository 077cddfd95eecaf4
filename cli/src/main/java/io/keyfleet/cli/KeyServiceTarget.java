package io.keyfleet.cli;

import java.net.URI;
import java.util.Optional;

/**
 * Where a management command goes and for whom.
 *
 * @param url    {@code --url}, else {@code KEYFLEET_KEY_SERVICE_URL}; empty means "ask {@link KeyServiceLocation}"
 * @param tenant {@code --tenant}, else {@code KEYFLEET_TENANT}; empty only for commands that act for no tenant
 */
record KeyServiceTarget(Optional<URI> url, Optional<String> tenant) {
}
