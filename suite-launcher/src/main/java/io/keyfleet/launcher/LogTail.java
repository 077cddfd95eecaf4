package io.keyfleet.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The last lines of a log file, for error messages. The services log JSON in the prod profile; such lines are shown
 * as {@code time LEVEL [logger] message: exception chain}, everything else as it is.
 */
public final class LogTail {

    private static final int MAX_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private LogTail() {
    }

    /** The last {@code count} lines (read from the file's last 64 KiB), or a note saying why there are none. */
    public static String lastLines(Path file, int count) {
        if (!Files.isRegularFile(file)) {
            return "(no log file at " + file + ")";
        }
        String tail;
        try (RandomAccessFile reader = new RandomAccessFile(file.toFile(), "r")) {
            long length = reader.length();
            int bytesToRead = (int) Math.min(length, MAX_BYTES);
            byte[] buffer = new byte[bytesToRead];
            reader.seek(length - bytesToRead);
            reader.readFully(buffer);
            tail = new String(buffer, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read " + file + ": " + e.getMessage() + ")";
        }
        List<String> lines = tail.lines().collect(Collectors.toList());
        if (lines.isEmpty()) {
            return "(" + file + " is empty)";
        }
        return lines.subList(Math.max(0, lines.size() - count), lines.size()).stream()
                .map(LogTail::readable)
                .collect(Collectors.joining(System.lineSeparator()));
    }

    /**
     * A Quarkus JSON log line as {@code 01:22:58.796 ERROR [io.quarkus.runtime.Application] Failed to start
     * application: RuntimeException: Failed to start quarkus <- ...}; any other line unchanged.
     */
    static String readable(String line) {
        if (!line.startsWith("{")) {
            return line;
        }
        JsonNode entry;
        try {
            entry = JSON.readTree(line);
        } catch (IOException e) {
            return line;
        }
        if (entry == null || !entry.hasNonNull("level") || !entry.hasNonNull("message")) {
            return line;
        }
        StringBuilder text = new StringBuilder();
        String timestamp = entry.path("timestamp").asText("");
        int timeStart = timestamp.indexOf('T');
        if (timeStart >= 0 && timestamp.length() >= timeStart + 13) {
            text.append(timestamp, timeStart + 1, timeStart + 13).append(' ');
        }
        text.append(entry.get("level").asText()).append(' ');
        if (entry.hasNonNull("loggerName")) {
            text.append('[').append(entry.get("loggerName").asText()).append("] ");
        }
        text.append(entry.get("message").asText());
        String separator = ": ";
        for (JsonNode exception = entry.path("exception"); exception.isObject();
             exception = exception.path("causedBy").path("exception")) {
            String type = exception.path("exceptionType").asText("");
            text.append(separator).append(type.substring(type.lastIndexOf('.') + 1));
            if (exception.hasNonNull("message")) {
                text.append(": ").append(exception.get("message").asText());
            }
            separator = " <- ";
        }
        return text.toString();
    }
}
