package io.keyfleet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunFileTest {

    private static final long CURRENT_PID = ProcessHandle.current().pid();

    @Test
    void whatIsWrittenIsReadBack(@TempDir Path directory) {
        Path file = directory.resolve("state").resolve("run.json");
        RunFile written = new RunFile(RunFile.RecordedProcess.of(CURRENT_PID), List.of(
                new RunFile.Component("postgres", 5433, new RunFile.RecordedProcess(4242, "2026-01-02T03:04:05Z")),
                new RunFile.Component("key-service", 8081, null)));

        written.writeTo(file);

        assertEquals(Optional.of(written), RunFile.read(file));
        assertFalse(Files.exists(directory.resolve("state").resolve("run.json.tmp")));
    }

    @Test
    void aMissingFileMeansNothingIsRunning(@TempDir Path directory) {
        assertEquals(Optional.empty(), RunFile.read(directory.resolve("run.json")));
    }

    @Test
    void aDamagedFileIsReportedWithItsPath(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("run.json");
        Files.writeString(file, "{\"supervisor\": ");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> RunFile.read(file));
        assertTrue(e.getMessage().startsWith("Could not read " + file), e.getMessage());
    }

    @Test
    void fieldsAddedByLaterVersionsAreIgnored(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("run.json");
        Files.writeString(file, "{\"supervisor\":{\"pid\":7,\"startedAt\":null,\"user\":\"x\"},"
                + "\"components\":[{\"name\":\"kafka\",\"port\":9092,\"process\":null,\"url\":\"y\"}],\"version\":2}");
        RunFile read = RunFile.read(file).orElseThrow();
        assertEquals(7, read.supervisor().pid());
        assertEquals(List.of(new RunFile.Component("kafka", 9092, null)), read.components());
    }

    @Test
    void recordingAProcessReplacesTheComponentsEntry() {
        RunFile planned = new RunFile(RunFile.RecordedProcess.of(CURRENT_PID), List.of(
                new RunFile.Component("postgres", 5433, null),
                new RunFile.Component("kafka", 9092, null)));

        RunFile updated = planned.withProcess("kafka", CURRENT_PID, 19092);

        assertNull(updated.components().get(0).process());
        assertEquals("kafka", updated.components().get(1).name());
        assertEquals(19092, updated.components().get(1).port());
        assertEquals(CURRENT_PID, updated.components().get(1).process().pid());
    }

    @Test
    void aRecordedProcessIsLiveOnlyWhileItsPidAndStartInstantMatch() {
        RunFile.RecordedProcess self = RunFile.RecordedProcess.of(CURRENT_PID);
        assertTrue(self.liveHandle().isPresent());

        RunFile.RecordedProcess pidReusedByAnotherProcess = new RunFile.RecordedProcess(CURRENT_PID, "2001-01-01T00:00:00Z");
        assertTrue(pidReusedByAnotherProcess.liveHandle().isEmpty());

        RunFile.Component neverStarted = new RunFile.Component("kafka", 9092, null);
        assertTrue(neverStarted.liveProcess().isEmpty());
    }

    @Test
    void deletingIsSafeWhenThereIsNoFile(@TempDir Path directory) {
        RunFile.delete(directory.resolve("run.json"));
    }
}
