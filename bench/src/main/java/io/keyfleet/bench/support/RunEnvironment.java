package io.keyfleet.bench.support;

import io.quarkus.runtime.Quarkus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import javax.sql.DataSource;
import org.apache.kafka.common.utils.AppInfoParser;

/** The environment lines every report starts with: git revision, machine, JVM, Quarkus, PostgreSQL and Kafka versions. */
public final class RunEnvironment {

    private RunEnvironment() {
    }

    public static void describe(Report report, DataSource dataSource) throws SQLException {
        String postgres;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("show server_version")) {
            row.next();
            postgres = row.getString(1);
        }
        report.environment("git", System.getProperty("bench.git", "unknown"));
        report.environment("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name")
                + " " + System.getProperty("os.arch") + "; everything below shares them");
        report.environment("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", heap max " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB (this JVM; key-service's below)");
        report.environment("quarkus", Objects.requireNonNullElse(Quarkus.class.getPackage().getImplementationVersion(), "unknown"));
        report.environment("postgresql", postgres + " (local-stack, loopback)");
        report.environment("kafka", AppInfoParser.getVersion() + ", 1 KRaft broker (local-stack child JVM, loopback)");
    }
}
