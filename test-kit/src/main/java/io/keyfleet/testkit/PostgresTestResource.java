package io.keyfleet.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * A real PostgreSQL for {@code @QuarkusTest}s, with the service's own database in it. One server per test JVM,
 * started by the first test class that needs it and stopped when the JVM exits; each service's database is created
 * on first use and kept for the rest of the run.
 *
 * <p>Use it from a service test (the {@code database} init arg is required):
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
 * class CredentialResourceTest { ... }
 * }</pre>
 *
 * <p>It supplies {@code quarkus.datasource.*} (PostgreSQL, JDBC URL, user, password, active), turns Flyway's
 * migrate-at-start on and Dev Services off.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** Name of the required init arg: the database to create and connect to, e.g. {@code key_service}. */
    public static final String DATABASE = "database";

    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get(DATABASE);
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("PostgresTestResource needs the init arg '" + DATABASE + "', e.g."
                    + " @WithTestResource(value = PostgresTestResource.class,"
                    + " initArgs = @ResourceArg(name = \"database\", value = \"key_service\"))");
        }
    }

    @Override
    public Map<String, String> start() {
        @SuppressWarnings("unchecked")
        Map<String, String> connection = (Map<String, String>) JvmWideServers.call("createPostgresDatabase", database);
        return Map.of(
                "quarkus.datasource.db-kind", "postgresql",
                "quarkus.datasource.jdbc.url", connection.get("jdbcUrl"),
                "quarkus.datasource.username", connection.get("username"),
                "quarkus.datasource.password", connection.get("password"),
                // overrides quarkus.datasource.active=false, which a service may keep for runs without a database
                "quarkus.datasource.active", "true",
                "quarkus.flyway.migrate-at-start", "true",
                "quarkus.devservices.enabled", "false");
    }

    /** Nothing to do: the one server of this JVM is shared by all test classes and stops when the JVM exits. */
    @Override
    public void stop() {
    }
}
