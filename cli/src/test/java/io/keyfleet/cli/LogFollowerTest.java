package io.keyfleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogFollowerTest {

    @Test
    void theFollowerStartsAtTheLastLinesWhetherOrNotTheFileEndsWithALineBreak() {
        byte[] endsWithBreak = "a\nb\nc\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(2, LogFollower.startOfLastLines(endsWithBreak, 2)); // "b\nc\n"
        assertEquals(0, LogFollower.startOfLastLines(endsWithBreak, 5));

        byte[] partialLastLine = "a\nb\nc".getBytes(StandardCharsets.UTF_8);
        assertEquals(2, LogFollower.startOfLastLines(partialLastLine, 2)); // "b\nc"
        assertEquals(0, LogFollower.startOfLastLines(new byte[0], 2));
    }
}
