package io.keyfleet.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PortConflictsTest {

    private static final List<PlannedPort> PLANNED = List.of(
            new PlannedPort("postgres", 5433),
            new PlannedPort("kafka", 9092),
            new PlannedPort("key-service", 8081),
            new PlannedPort("signing-service", 8082));

    @Test
    void findsTheTakenPortsInPlannedOrder() {
        Set<Integer> busy = Set.of(8082, 5433);
        assertEquals(List.of(new PlannedPort("postgres", 5433), new PlannedPort("signing-service", 8082)),
                PortConflicts.taken(PLANNED, port -> !busy.contains(port)));
    }

    @Test
    void findsNothingWhenAllAreFree() {
        assertEquals(List.of(), PortConflicts.taken(PLANNED, port -> true));
    }

    @Test
    void oneTakenPortIsNamedWithItsComponentAndTheWayOut() {
        assertEquals("port 8081 (key-service) is already in use by another process; stop it or run ./keyfleet down",
                PortConflicts.describe(List.of(new PlannedPort("key-service", 8081))));
    }

    @Test
    void severalTakenPortsAreNamedOnOneLine() {
        assertEquals("ports 9092 (kafka), 8081 (key-service) are already in use by other processes; stop them or run"
                        + " ./keyfleet down",
                PortConflicts.describe(List.of(new PlannedPort("kafka", 9092), new PlannedPort("key-service", 8081))));
    }

    @Test
    void describingNoConflictIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> PortConflicts.describe(List.of()));
    }
}
