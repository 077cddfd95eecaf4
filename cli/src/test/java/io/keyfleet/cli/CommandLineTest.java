package io.keyfleet.cli;

import io.keyfleet.launcher.KeyfleetService;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineTest {

    @Test
    void upWaitsTwoMinutesByDefault() throws UsageException {
        assertEquals(new Command.Up(Duration.ofSeconds(120)), CommandLine.parse("up"));
    }

    @Test
    void upTakesTheTimeoutAsSeparateOrJoinedValue() throws UsageException {
        assertEquals(new Command.Up(Duration.ofSeconds(180)), CommandLine.parse("up", "--timeout", "180"));
        assertEquals(new Command.Up(Duration.ofSeconds(30)), CommandLine.parse("up", "--timeout=30"));
    }

    @Test
    void upRejectsATimeoutThatIsNotAPositiveWholeNumber() {
        for (String value : new String[] {"0", "-5", "1.5", "soon", ""}) {
            UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse("up", "--timeout", value));
            assertTrue(e.getMessage().contains("whole number of seconds"), e.getMessage());
        }
        UsageException missing = assertThrows(UsageException.class, () -> CommandLine.parse("up", "--timeout"));
        assertTrue(missing.getMessage().contains("needs a number of seconds"), missing.getMessage());
    }

    @Test
    void upRejectsUnknownOptions() {
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse("up", "--fast"));
        assertEquals("unknown option '--fast' for up; it accepts --timeout SECONDS", e.getMessage());
    }

    @Test
    void downAndStatusTakeNoArguments() throws UsageException {
        assertInstanceOf(Command.Down.class, CommandLine.parse("down"));
        assertInstanceOf(Command.Status.class, CommandLine.parse("status"));
        assertThrows(UsageException.class, () -> CommandLine.parse("down", "now"));
        assertThrows(UsageException.class, () -> CommandLine.parse("status", "-v"));
    }

    @Test
    void logsAcceptsEveryServiceAndTheTwoServers() throws UsageException {
        for (KeyfleetService service : KeyfleetService.values()) {
            assertEquals(new Command.Logs(service.moduleName()), CommandLine.parse("logs", service.moduleName()));
        }
        assertEquals(new Command.Logs("postgres"), CommandLine.parse("logs", "postgres"));
        assertEquals(new Command.Logs("kafka"), CommandLine.parse("logs", "kafka"));
    }

    @Test
    void logsOfAnUnknownServiceListsTheValidNames() {
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse("logs", "key-servce"));
        assertEquals("unknown service 'key-servce'; valid names: provider-sandbox, key-service, signing-service,"
                + " token-service, sync-service, postgres, kafka", e.getMessage());
    }

    @Test
    void logsNeedsExactlyOneName() {
        assertThrows(UsageException.class, () -> CommandLine.parse("logs"));
        assertThrows(UsageException.class, () -> CommandLine.parse("logs", "key-service", "kafka"));
    }

    @Test
    void noArgumentsAndTheHelpSpellingsShowTheUsage() throws UsageException {
        assertInstanceOf(Command.Help.class, CommandLine.parse());
        assertInstanceOf(Command.Help.class, CommandLine.parse("help"));
        assertInstanceOf(Command.Help.class, CommandLine.parse("-h"));
        assertInstanceOf(Command.Help.class, CommandLine.parse("--help"));
    }

    @Test
    void anUnknownCommandNamesTheKnownOnes() {
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse("start"));
        assertEquals("unknown command 'start'; commands: up, down, status, logs, keys, tenants, help", e.getMessage());
    }
}
