package io.keyfleet.kit.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The prod profile, as a packaged service runs: health answers say UP or DOWN and nothing else, and neither the
 * OpenAPI document nor Swagger UI is served.
 */
@QuarkusTest
@TestProfile(ProdProfileIT.Prod.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "service_kit"))
@QuarkusTestResource(KafkaTestResource.class)
class ProdProfileIT {

    public static class Prod implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }
    }

    private static final List<String> HEALTH = List.of("/q/health", "/q/health/ready", "/q/health/live", "/q/health/started");

    @Test
    void healthSaysOnlyUpOrDown() {
        for (String path : HEALTH) {
            assertThat(given().get(path).then().statusCode(200).extract().asString()).as(path)
                    .isEqualToIgnoringWhitespace("{\"status\":\"UP\"}");
        }
        ReportedCheck.down = true;
        try {
            for (String path : List.of("/q/health", "/q/health/ready")) {
                assertThat(given().get(path).then().statusCode(503).extract().asString()).as(path)
                        .isEqualToIgnoringWhitespace("{\"status\":\"DOWN\"}");
            }
        } finally {
            ReportedCheck.down = false;
        }
    }

    @Test
    void neitherTheOpenApiDocumentNorSwaggerUiIsServed() {
        for (String path : List.of("/q/openapi", "/q/openapi?format=json", "/q/swagger-ui", "/q/swagger-ui/")) {
            assertThat(given().redirects().follow(false).get(path).statusCode()).as(path).isEqualTo(404);
        }
    }
}
