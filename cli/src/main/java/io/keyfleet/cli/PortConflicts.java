package io.keyfleet.cli;

import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

/** Finds the planned ports that something else already listens on, and says so in one line. */
final class PortConflicts {

    private PortConflicts() {
    }

    /** The planned ports that are not free, in the order given. */
    static List<PlannedPort> taken(List<PlannedPort> planned, IntPredicate isFree) {
        return planned.stream().filter(port -> !isFree.test(port.port())).collect(Collectors.toList());
    }

    /**
     * {@code port 8081 (key-service) is already in use by another process; stop it or run ./keyfleet down}, or the
     * plural form naming every taken port.
     */
    static String describe(List<PlannedPort> taken) {
        if (taken.isEmpty()) {
            throw new IllegalArgumentException("no port is taken");
        }
        if (taken.size() == 1) {
            return "port " + taken.get(0) + " is already in use by another process; stop it or run ./keyfleet down";
        }
        String ports = taken.stream().map(PlannedPort::toString).collect(Collectors.joining(", "));
        return "ports " + ports + " are already in use by other processes; stop them or run ./keyfleet down";
    }
}
