package io.keyfleet.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyfleetTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... arguments) {
        return Keyfleet.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), arguments);
    }

    @Test
    void aBadCommandLineExitsWithTwoAndOneLineOfReason() {
        assertEquals(2, run("logs", "nginx"));
        String[] lines = err.toString(StandardCharsets.UTF_8).split("\\R");
        assertEquals("keyfleet: unknown service 'nginx'; valid names: provider-sandbox, key-service, signing-service,"
                + " token-service, sync-service, postgres, kafka", lines[0]);
        assertEquals("Run ./keyfleet help for usage.", lines[1]);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsTheUsageAndSucceeds() {
        assertEquals(0, run("help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: ./keyfleet COMMAND"));
    }
}
