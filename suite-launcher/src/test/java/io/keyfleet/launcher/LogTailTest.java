package io.keyfleet.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogTailTest {

    private static final String NL = System.lineSeparator();

    @Test
    void returnsTheLastLines(@TempDir Path directory) throws Exception {
        Path log = directory.resolve("service.log");
        Files.writeString(log, "one\ntwo\nthree\nfour\n");
        assertEquals("three" + NL + "four", LogTail.lastLines(log, 2));
        assertEquals("one" + NL + "two" + NL + "three" + NL + "four", LogTail.lastLines(log, 20));
    }

    @Test
    void saysSoWhenThereIsNothingToShow(@TempDir Path directory) throws Exception {
        Path log = directory.resolve("service.log");
        assertEquals("(no log file at " + log + ")", LogTail.lastLines(log, 20));
        Files.writeString(log, "");
        assertEquals("(" + log + " is empty)", LogTail.lastLines(log, 20));
    }

    @Test
    void showsAQuarkusJsonLineAsTimeLevelLoggerMessageAndExceptionChain() {
        String json = "{\"timestamp\":\"2026-11-22T01:22:58.796779109Z\",\"sequence\":123,"
                + "\"loggerName\":\"io.quarkus.runtime.Application\",\"level\":\"ERROR\","
                + "\"message\":\"Failed to start application\",\"exception\":{\"refId\":1,"
                + "\"exceptionType\":\"java.lang.RuntimeException\",\"message\":\"Failed to start quarkus\","
                + "\"frames\":[],\"causedBy\":{\"exception\":{\"refId\":2,"
                + "\"exceptionType\":\"org.postgresql.util.PSQLException\",\"message\":\"Connection refused\"}}}}";
        assertEquals("01:22:58.796 ERROR [io.quarkus.runtime.Application] Failed to start application:"
                + " RuntimeException: Failed to start quarkus <- PSQLException: Connection refused", LogTail.readable(json));
    }

    @Test
    void leavesOtherLinesAsTheyAre() {
        assertEquals("Picked up JAVA_TOOL_OPTIONS: -Xmx1g", LogTail.readable("Picked up JAVA_TOOL_OPTIONS: -Xmx1g"));
        assertEquals("{not json", LogTail.readable("{not json"));
        assertEquals("{\"a\":1}", LogTail.readable("{\"a\":1}"));
    }
}
