package io.keyfleet.cli;

/** A port a component of the suite is about to listen on. */
record PlannedPort(String component, int port) {

    @Override
    public String toString() {
        return port + " (" + component + ")";
    }
}
