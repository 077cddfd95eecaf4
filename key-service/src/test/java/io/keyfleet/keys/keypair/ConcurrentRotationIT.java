package io.keyfleet.keys.keypair;

import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.KeyRotated;
import io.keyfleet.keys.support.KeyEvents;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class ConcurrentRotationIT {

    private static final int CALLERS = 20;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void twentyConcurrentRotationsLeaveOneCurrentAndOneEventPerSuccess() throws Exception {
        String tenant = newTenant();
        String keyId = AppKeyResourceIT.generate(tenant, "busy-app", "SANDBOX");

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        List<Future<Response>> calls = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            calls.add(pool.submit(() -> {
                start.await();
                return as(tenant).post("/v1/keys/{k}/rotate", keyId);
            }));
        }
        start.countDown();
        List<Integer> rotatedTo = new ArrayList<>();
        int conflicts = 0;
        for (Future<Response> call : calls) {
            Response response = call.get();
            if (response.statusCode() == 200) {
                rotatedTo.add(response.jsonPath().getInt("version"));
            } else {
                assertThat(response.statusCode()).as(response.asString()).isEqualTo(409);
                assertThat(response.jsonPath().getString("code")).isEqualTo("KEY_BUSY");
                conflicts++;
            }
        }
        pool.shutdown();
        assertThat(rotatedTo.size() + conflicts).isEqualTo(CALLERS);
        assertThat(rotatedTo).isNotEmpty().doesNotHaveDuplicates();

        JsonPath key = as(tenant).get("/v1/keys/{k}", keyId).then().statusCode(200).extract().jsonPath();
        List<String> states = key.getList("versions.state");
        List<Integer> versions = key.getList("versions.version");
        assertThat(states.stream().filter("CURRENT"::equals).count()).isEqualTo(1);
        assertThat(versions).isSorted().doesNotHaveDuplicates().hasSize(1 + rotatedTo.size());
        assertThat(versions.get(versions.size() - 1)).isEqualTo(key.getInt("currentVersion"));
        assertThat(rotatedTo.stream().sorted().toList()).containsExactlyElementsOf(versions.subList(1, versions.size()));

        int expectedEvents = 1 + rotatedTo.size();
        List<EventEnvelope> events = KeyEvents.of(bootstrapServers, keyId, KeyEvents.atLeast(expectedEvents));
        assertThat(events).hasSize(expectedEvents);
        List<KeyRotated> rotations = events.stream().skip(1).map(e -> EventCodec.payload(e, KeyRotated.class)).toList();
        for (int i = 0; i < rotations.size(); i++) {
            assertThat(rotations.get(i).previousVersion()).isEqualTo(versions.get(i));
            assertThat(rotations.get(i).newVersion()).isEqualTo(versions.get(i + 1));
        }
    }

    @Test
    void concurrentCreatesOfOneKeyMakeExactlyOneAndTheRestConflict() throws Exception {
        String tenant = newTenant();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(pool.submit(() -> {
                start.await();
                return as(tenant).contentType(io.restassured.http.ContentType.JSON)
                        .body("{\"provider\":\"alipay\",\"appId\":\"raced\",\"environment\":\"SANDBOX\"}")
                        .post("/v1/keys");
            }));
        }
        start.countDown();
        int created = 0;
        for (Future<Response> call : calls) {
            Response response = call.get();
            if (response.statusCode() == 201) {
                created++;
            } else {
                assertThat(response.statusCode()).as(response.asString()).isEqualTo(409);
                assertThat(response.jsonPath().getString("code")).isIn("KEY_EXISTS", "CONCURRENT_CHANGE");
            }
        }
        pool.shutdown();
        assertThat(created).isEqualTo(1);
        assertThat(as(tenant).get("/v1/keys?appId=raced").then().extract().jsonPath().getInt("total")).isEqualTo(1);
    }
}
