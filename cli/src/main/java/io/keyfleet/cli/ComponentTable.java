package io.keyfleet.cli;

import java.util.List;

/** The table {@code up} prints once everything is ready and {@code status} prints on demand. */
final class ComponentTable {

    /** Where a service serves Swagger UI (in a local run, see ServiceEnvironment#apiDocs). */
    static final String SWAGGER_UI_PATH = "/q/swagger-ui";

    /** One line of the table; {@code pid} is null for a component without a process. */
    record Row(String component, Long pid, int port, Health health) {
    }

    private ComponentTable() {
    }

    static String render(List<Row> rows) {
        TextTable table = new TextTable("COMPONENT", "PID", "PORT", "HEALTH", "URL");
        for (Row row : rows) {
            table.addRow(row.component(), row.pid() == null ? "-" : String.valueOf(row.pid()),
                    String.valueOf(row.port()), row.health().label(), urlOf(row.component(), row.port()));
        }
        return table.render();
    }

    /** The Swagger UI of a service, the JDBC base URL of PostgreSQL, the bootstrap address of Kafka. */
    static String urlOf(String component, int port) {
        if (Suite.POSTGRES.equals(component)) {
            return "jdbc:postgresql://localhost:" + port + "/";
        }
        if (Suite.KAFKA.equals(component)) {
            return "127.0.0.1:" + port;
        }
        return "http://localhost:" + port + SWAGGER_UI_PATH;
    }
}
