package io.keyfleet.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TableRenderingTest {

    private static final String NL = System.lineSeparator();

    @Test
    void columnsAreAsWideAsTheirWidestCellAndLinesHaveNoTrailingSpaces() {
        String rendered = new TextTable("NAME", "PORT", "NOTE")
                .addRow("key-service", "8081", "")
                .addRow("kafka", "9092", "ok")
                .render();
        assertEquals("NAME         PORT  NOTE" + NL
                + "key-service  8081" + NL
                + "kafka        9092  ok" + NL, rendered);
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TextTable("A", "B").addRow("only one"));
    }

    @Test
    void theComponentTableShowsPidPortHealthAndWhereToGo() {
        String rendered = ComponentTable.render(List.of(
                new ComponentTable.Row("postgres", 101L, 5433, Health.UP),
                new ComponentTable.Row("kafka", null, 9092, Health.DOWN),
                new ComponentTable.Row("key-service", null, 8081, Health.NOT_RUNNING)));
        assertEquals("COMPONENT    PID  PORT  HEALTH       URL" + NL
                + "postgres     101  5433  UP           jdbc:postgresql://localhost:5433/" + NL
                + "kafka        -    9092  DOWN         127.0.0.1:9092" + NL
                + "key-service  -    8081  not running  http://localhost:8081/q/swagger-ui" + NL, rendered);
    }
}
