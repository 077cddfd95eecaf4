package io.keyfleet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KeyServiceLocationTest {

    private static final long CURRENT_PID = ProcessHandle.current().pid();

    @Test
    void aConfiguredUrlWinsOverARunningUp() {
        assertEquals(URI.create("http://keys.internal:9000"), KeyServiceLocation.resolve(
                Optional.of(URI.create("http://keys.internal:9000")), () -> Optional.of(18081)));
    }

    @Test
    void thenThePortOfARunningUpThenTheDefault() {
        assertEquals(URI.create("http://localhost:18081"),
                KeyServiceLocation.resolve(Optional.empty(), () -> Optional.of(18081)));
        assertEquals(URI.create("http://localhost:8081"), KeyServiceLocation.resolve(Optional.empty(), Optional::empty));
    }

    @Test
    void theRunFileGivesThePortOfAKeyServiceThatStillRuns(@TempDir Path root) {
        ProjectLayout layout = new ProjectLayout(root);
        runFile(layout, RunFile.RecordedProcess.of(CURRENT_PID));
        assertEquals(Optional.of(18081), KeyServiceLocation.portIn(layout));
    }

    @Test
    void aKeyServiceThatIsGoneOrNotStartedIsNoAnswer(@TempDir Path root) {
        ProjectLayout layout = new ProjectLayout(root);
        // this pid with another start time: the process recorded there is gone
        runFile(layout, new RunFile.RecordedProcess(CURRENT_PID, "1970-01-01T00:00:00Z"));
        assertEquals(Optional.empty(), KeyServiceLocation.portIn(layout));
        runFile(layout, null);
        assertEquals(Optional.empty(), KeyServiceLocation.portIn(layout));
    }

    @Test
    void noRunFileOrADamagedOneIsNoAnswer(@TempDir Path root) throws Exception {
        ProjectLayout layout = new ProjectLayout(root);
        assertEquals(Optional.empty(), KeyServiceLocation.portIn(layout));
        Files.createDirectories(layout.stateDirectory());
        Files.writeString(layout.runFile(), "{\"supervisor\": ");
        assertEquals(Optional.empty(), KeyServiceLocation.portIn(layout));
    }

    private static void runFile(ProjectLayout layout, RunFile.RecordedProcess keyService) {
        new RunFile(RunFile.RecordedProcess.of(CURRENT_PID), List.of(
                new RunFile.Component("postgres", 15433, RunFile.RecordedProcess.of(CURRENT_PID)),
                new RunFile.Component("key-service", 18081, keyService))).writeTo(layout.runFile());
    }
}
