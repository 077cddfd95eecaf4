package io.keyfleet.kit.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "service_kit"))
@QuarkusTestResource(KafkaTestResource.class)
class ProblemMappingIT {

    @Test
    void malformedJsonIsA400ThatSaysWhere() {
        given().contentType(ContentType.JSON).body("{\"name\": \"a\", ").post("/test/echo")
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("MALFORMED_JSON"))
                .body("status", equalTo(400))
                .body("detail", containsString("not valid JSON"))
                .body("requestId", notNullValue());
    }

    @Test
    void aWrongTypeNamesTheField() {
        given().contentType(ContentType.JSON).body("{\"name\": \"a\", \"count\": \"many\"}").post("/test/echo")
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("INVALID_FIELD_TYPE"))
                .body("detail", containsString("'count' must be a whole number"))
                .body("errors[0].field", equalTo("count"));
    }

    @Test
    void anUnknownEnumValueListsTheAllowedOnes() {
        given().contentType(ContentType.JSON).body("{\"name\": \"a\", \"count\": 1, \"color\": \"BLUE\"}").post("/test/echo")
                .then().statusCode(400)
                .body("code", equalTo("INVALID_FIELD_TYPE"))
                .body("detail", allOf(containsString("'color'"), containsString("RED"), containsString("GREEN")));
    }

    @Test
    void constraintViolationsListEveryField() {
        given().contentType(ContentType.JSON).body("{\"name\": \"\", \"count\": 0}").post("/test/echo")
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("VALIDATION_FAILED"))
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("count", "name"));
    }

    @Test
    void aMissingBodyIsA400() {
        given().contentType(ContentType.JSON).post("/test/echo")
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("VALIDATION_FAILED"));
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItIsRead() {
        String big = "{\"name\": \"" + "x".repeat(4096) + "\", \"count\": 1}";
        given().contentType(ContentType.JSON).body(big).post("/test/echo")
                .then().statusCode(413).contentType("application/problem+json")
                .body("code", equalTo("PAYLOAD_TOO_LARGE"));
    }

    @Test
    void businessProblemsKeepTheirCode() {
        given().contentType(ContentType.JSON).body("{\"name\": \"a\", \"count\": 1}").post("/test/echo/conflict")
                .then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("ALREADY_THERE"))
                .body("instance", equalTo("/test/echo/conflict"));
    }

    @Test
    void aLostRaceForAUniqueKeyIsAConflictNotAnError() {
        given().contentType(ContentType.JSON).body("{\"name\": \"a\", \"count\": 1}").post("/test/echo/race")
                .then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("CONCURRENT_CHANGE"))
                .body(not(containsString("duplicate key")));
    }

    @Test
    void textTheDatabaseCannotStoreIsABadRequestNotAnError() {
        given().contentType(ContentType.JSON).body("{\"name\": \"a\", \"count\": 1}").post("/test/echo/unstorable")
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("INVALID_CHARACTER"))
                .body(not(containsString("UTF8")));
    }

    @Test
    void anUnexpectedFailureShowsNoInternals() {
        given().contentType(ContentType.JSON).body("{\"name\": \"a\", \"count\": 1}").post("/test/echo/boom")
                .then().statusCode(500).contentType("application/problem+json")
                .body("code", equalTo("INTERNAL_ERROR"))
                .body(not(containsString("hunter2")))
                .body(not(containsString("IllegalStateException")));
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        given().get("/test/nothing-here").then().statusCode(404).contentType("application/problem+json").body("code", equalTo("NOT_FOUND"));
        given().get("/test/echo").then().statusCode(405).contentType("application/problem+json").body("code", equalTo("METHOD_NOT_ALLOWED"));
    }

    @Test
    void theCallersRequestIdIsKeptAndEchoed() {
        given().header("X-Request-Id", "abc-123").contentType(ContentType.JSON).body("{").post("/test/echo")
                .then().header("X-Request-Id", "abc-123").body("requestId", equalTo("abc-123"));
    }
}
