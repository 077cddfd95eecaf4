package io.keyfleet.cli;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code .keyfleet/run.json}: written by {@code ./keyfleet up} so that {@code down} and {@code status} in another
 * terminal find the supervisor and its children. Each process is recorded with its start instant, so a pid that the
 * operating system has since given to an unrelated process is never mistaken for ours.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record RunFile(RecordedProcess supervisor, List<Component> components) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RunFile {
        components = List.copyOf(components);
    }

    /** One component: its port always, its process once started. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Component(String name, int port, RecordedProcess process) {

        /** The component's process if it still runs. */
        @JsonIgnore
        public Optional<ProcessHandle> liveProcess() {
            return process == null ? Optional.empty() : process.liveHandle();
        }
    }

    /** A process id and when that process started (null when the operating system did not say). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RecordedProcess(long pid, String startedAt) {

        public static RecordedProcess of(long pid) {
            return new RecordedProcess(pid, ProcessHandle.of(pid)
                    .flatMap(handle -> handle.info().startInstant())
                    .map(Instant::toString)
                    .orElse(null));
        }

        /** The process, if one with this pid is alive and started at the recorded instant. */
        @JsonIgnore
        public Optional<ProcessHandle> liveHandle() {
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(handle -> startedAt == null || handle.info().startInstant()
                            .map(instant -> instant.toString().equals(startedAt))
                            .orElse(true));
        }
    }

    /** The same file with the process of {@code component} recorded (and its port updated). */
    public RunFile withProcess(String component, long pid, int port) {
        List<Component> updated = new ArrayList<>();
        boolean found = false;
        for (Component existing : components) {
            if (existing.name().equals(component)) {
                updated.add(new Component(component, port, RecordedProcess.of(pid)));
                found = true;
            } else {
                updated.add(existing);
            }
        }
        if (!found) {
            updated.add(new Component(component, port, RecordedProcess.of(pid)));
        }
        return new RunFile(supervisor, updated);
    }

    /** Written to a temporary file first and moved into place, so a reader never sees half a file. */
    public void writeTo(Path file) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writeValue(temporary.toFile(), this);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    /** The file's content, or empty if there is none. */
    public static Optional<RunFile> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), RunFile.class));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + " (delete it if no Keyfleet is running): "
                    + e.getMessage(), e);
        }
    }

    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + file, e);
        }
    }
}
