package io.keyfleet.events;

import java.util.Objects;

/** Argument checks for the compact constructors of the event records. */
final class Checks {

    private Checks() {
    }

    static String text(String value, String name) {
        Objects.requireNonNull(value, () -> name + " is required");
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    static <T> T present(T value, String name) {
        return Objects.requireNonNull(value, () -> name + " is required");
    }

    static int atLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + " but was " + value);
        }
        return value;
    }
}
