package io.keyfleet.sync;

import static io.keyfleet.sync.PoolApiIT.as;
import static io.keyfleet.sync.PoolApiIT.definition;
import static io.keyfleet.sync.PoolApiIT.newMember;
import static io.keyfleet.sync.SyncTesting.pool;
import static io.keyfleet.sync.SyncTesting.runToEnd;
import static io.keyfleet.sync.SyncTesting.tenant;
import static io.keyfleet.sync.SyncTesting.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, SSRF: a pool's API base URL is tenant-supplied, so sync-service calls it only when the outbound policy
 * allows it. Internal addresses (here: a listener on every interface at a port the test's allow-list does not name)
 * get a 400 with a code, never a connectivity report, and the listener never sees a connection.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "sync_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(UpstreamWorldResource.class)
class PoolAddressPolicyIT extends UpstreamWorldTest {

    @Test
    void internalAddressesAreRefusedWithACodeAndNothingIsConnected() throws Exception {
        try (Listener internal = new Listener()) {
            int port = internal.port();
            String tenant = tenant();
            // internal.example.test resolves to 127.0.0.1 (src/test/hosts)
            List<String> urls = List.of("http://127.0.0.1:" + port, "http://localhost:" + port, "http://[::1]:" + port,
                    "http://internal.example.test:" + port + "/pool-api", "http://[::ffff:127.0.0.1]:" + port, "https://127.0.0.1:" + port,
                    "http://0.0.0.0:" + port, "http://169.254.169.254/latest/meta-data", "http://10.0.0.1:" + port);
            for (String url : urls) {
                Map<String, Object> body = definition(newMember());
                body.put("apiBaseUrl", url);
                String checked = as(tenant).body(body).post("/v1/pools/check").then().statusCode(400)
                        .contentType("application/problem+json").body("code", equalTo("OUTBOUND_ADDRESS_REFUSED"))
                        .body("detail", startsWith("apiBaseUrl: ")).extract().asString();
                assertThat(checked).as(url).doesNotContain("reachable", "Passed", "HTTP 404", "steps");
                as(tenant).body(body).post("/v1/pools").then().statusCode(400).body("code", equalTo("OUTBOUND_ADDRESS_REFUSED"));
                body.remove("apiSecret");
                body.put("generateSecret", true);
                as(tenant).body(body).post("/v1/pools").then().statusCode(400).body("code", equalTo("OUTBOUND_ADDRESS_REFUSED"));
            }
            String poolId = pool(tenant);
            as(tenant).body(Map.of("apiBaseUrl", "http://internal.example.test:" + port)).put("/v1/pools/" + poolId).then().statusCode(400)
                    .body("code", equalTo("OUTBOUND_ADDRESS_REFUSED"))
                    .body("detail", equalTo("apiBaseUrl: 'internal.example.test' resolves to a loopback address; only public addresses are called."));
            as(tenant).get("/v1/pools").then().statusCode(200).body("size()", equalTo(1)).body("[0].apiBaseUrl", equalTo(world.url()));
            assertThat(internal.accepted).hasValue(0);
        }
    }

    @Test
    void aRedirectFromTheAllowedUpstreamToALoopbackPortIsNotFollowed() throws Exception {
        try (Listener internal = new Listener()) {
            String tenant = tenant();
            world.accountRedirect("http://127.0.0.1:" + internal.port() + "/pool-api/v1/account");
            as(tenant).body(definition(newMember())).post("/v1/pools/check").then().statusCode(200).body("ok", equalTo(false))
                    .body("steps[3].message", containsString("HTTP 302"));
            world.accountRedirect(null);

            world.generate(5);
            String poolId = pool(tenant);
            world.trouble("REDIRECT", internal.port());
            JsonPath job = runToEnd(tenant, poolId, List.of("zones"), false);
            assertThat(job.getString("status")).isEqualTo("PARTIAL");
            assertThat(job.getString("items[0].reason")).contains("HTTP 302");
            assertThat(internal.accepted).hasValue(0);
        }
    }

    @Test
    void aSavedPoolWhoseAddressIsNowRefusedIsNeitherCheckedNorSynced() throws Exception {
        try (Listener internal = new Listener()) {
            String tenant = tenant();
            String poolId = pool(tenant);
            // as if saved before the policy, or its host's DNS changed since
            update(dataSource, "update pool set api_base_url = ? where id = ?", "http://127.0.0.1:" + internal.port(), UUID.fromString(poolId));

            as(tenant).post("/v1/pools/" + poolId + "/check").then().statusCode(400).body("code", equalTo("OUTBOUND_ADDRESS_REFUSED"));
            as(tenant).get("/v1/pools/" + poolId).then().body("health", equalTo("UNREACHABLE"))
                    .body("healthMessage", containsString("OUTBOUND_ADDRESS_REFUSED"));
            JsonPath job = runToEnd(tenant, poolId, List.of(), false);
            assertThat(job.getString("status")).isEqualTo("FAILED");
            assertThat(job.getString("reason")).contains("OUTBOUND_ADDRESS_REFUSED", "loopback");
            assertThat(internal.accepted).hasValue(0);
        }
    }

    /** Listens on every interface (IPv4 and IPv6 loopback included) and counts the connections it accepts. */
    static final class Listener implements AutoCloseable {

        final AtomicInteger accepted = new AtomicInteger();
        private final ServerSocket server = new ServerSocket(0);

        Listener() throws IOException {
            Thread thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "internal-listener");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
