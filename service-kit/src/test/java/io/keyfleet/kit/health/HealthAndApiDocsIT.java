package io.keyfleet.kit.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** In the test profile (as in dev) health answers carry the checks and their data, and the API documents are served. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "service_kit"))
@QuarkusTestResource(KafkaTestResource.class)
class HealthAndApiDocsIT {

    @Test
    void healthShowsTheChecksWithTheirData() {
        String body = given().get("/q/health/ready").then().statusCode(200).extract().asString();
        assertThat(body).contains("\"checks\"", "\"reported\"", ReportedCheck.ADDRESS);
    }

    @Test
    void theOpenApiDocumentAndSwaggerUiAreServed() {
        given().get("/q/openapi").then().statusCode(200);
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
