package io.keyfleet.sandbox.pool;

import io.keyfleet.auth.IpWhitelist;
import io.keyfleet.auth.RequestSignature;
import io.keyfleet.auth.SignedRequestHeaders;
import io.keyfleet.sandbox.admin.Scenario;
import io.keyfleet.sandbox.admin.Scenarios;
import io.keyfleet.sandbox.support.SandboxClock;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The upstream resource-pool API. Every call is signed with the member's API secret as {@link RequestSignature}
 * describes (X-Keyfleet-SecretId = the member id) and must come from one of the account's authorized IPs; a nonce is
 * accepted once within the timestamp window ({@link NonceMemory}). Errors are {@code {"code": ..., "message": ...}}
 * JSON, as upstream platforms answer.
 */
@Path("/pool-api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Resource-pool API", description = "An upstream platform's catalog: account, zones, OS and product lines")
public class PoolApiResource {

    static final Duration SIGNATURE_WINDOW = Duration.ofMinutes(5);
    static final int MAX_PAGE_SIZE = 1_000;
    /** Signed calls remembered at most: far more than a 100,000-item sync makes in the window (a few hundred pages). */
    static final int NONCE_CAPACITY = 100_000;
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final NonceMemory NONCES = new NonceMemory(SIGNATURE_WINDOW, NONCE_CAPACITY);

    @Inject
    PoolCatalog catalog;

    @Inject
    Scenarios scenarios;

    @Inject
    SandboxClock clock;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uriInfo;

    @Context
    HttpServerRequest request;

    @GET
    @Path("/account")
    @Operation(summary = "Balance and credit limit of the calling member")
    public Response account() {
        Authorized authorized = authorize();
        if (authorized.refusal != null) {
            return authorized.refusal;
        }
        PoolAccount account = authorized.account;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("memberId", account.memberId());
        body.put("currency", account.currency());
        body.put("balance", account.balance());
        body.put("creditLimit", account.creditLimit());
        return trouble(account.memberId()).orElseGet(() -> Response.ok(body).build());
    }

    @GET
    @Path("/{type}")
    @Operation(summary = "One page of a resource list",
            description = "type: zones, operating-systems, cloud-server-lines, hosting-lines, hosting-power-options, bare-metal-lines, "
                    + "bare-metal-disk-models. Pages from 1; pageSize 1-1000 (default 100); totalPages says when to stop.")
    public Response list(@PathParam("type") String typePath, @QueryParam("page") Integer page, @QueryParam("pageSize") Integer pageSize) {
        Authorized authorized = authorize();
        if (authorized.refusal != null) {
            return authorized.refusal;
        }
        Optional<ResourceType> type = ResourceType.ofPath(typePath);
        if (type.isEmpty()) {
            return error(404, "RESOURCE_TYPE_UNKNOWN", "No list '" + typePath + "'; lists are "
                    + Arrays.stream(ResourceType.values()).map(ResourceType::path).toList() + ".");
        }
        int number = page == null ? 1 : page;
        int size = pageSize == null ? 100 : pageSize;
        if (number < 1 || size < 1 || size > MAX_PAGE_SIZE) {
            return error(400, "PAGE_INVALID", "page starts at 1 and pageSize is 1-" + MAX_PAGE_SIZE + ".");
        }
        Optional<Response> trouble = trouble(authorized.account.memberId());
        if (trouble.isPresent()) {
            return trouble.get();
        }
        return Response.ok(catalog.page(authorized.account, type.get(), number, size)).build();
    }

    private record Authorized(PoolAccount account, Response refusal) {
    }

    private Authorized authorize() {
        String memberId = headers.getHeaderString(SignedRequestHeaders.SECRET_ID);
        String timestamp = headers.getHeaderString(SignedRequestHeaders.TIMESTAMP);
        String nonce = headers.getHeaderString(SignedRequestHeaders.NONCE);
        String signature = headers.getHeaderString(SignedRequestHeaders.SIGNATURE);
        if (memberId == null || timestamp == null || nonce == null || signature == null) {
            return refused(401, "SIGNATURE_MISSING", "Sign the request: headers " + SignedRequestHeaders.SECRET_ID + " (member id), "
                    + SignedRequestHeaders.TIMESTAMP + ", " + SignedRequestHeaders.NONCE + ", " + SignedRequestHeaders.SIGNATURE + ".");
        }
        if (!NONCE.matcher(nonce).matches()) {
            return refused(401, "NONCE_INVALID", "The nonce must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-', fresh for every call.");
        }
        Optional<PoolAccount> account = catalog.find(memberId);
        if (account.isEmpty()) {
            return refused(401, "MEMBER_UNKNOWN", "No member '" + printable(memberId) + "'; check the member id.");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return refused(401, "TIMESTAMP_INVALID", "The timestamp must be Unix seconds.");
        }
        if (Duration.between(Instant.ofEpochSecond(seconds), clock.now()).abs().compareTo(SIGNATURE_WINDOW) > 0) {
            return refused(401, "TIMESTAMP_OUT_OF_WINDOW", "The timestamp is more than 5 minutes from the platform's clock.");
        }
        RequestSignature.Version version;
        try {
            version = RequestSignature.Version.of(headers.getHeaderString(SignedRequestHeaders.SIGNATURE_VERSION));
        } catch (IllegalArgumentException e) {
            return refused(401, "SIGNATURE_VERSION_INVALID", e.getMessage());
        }
        String canonical = RequestSignature.canonical(version, "GET", uriInfo.getRequestUri().getRawPath(),
                uriInfo.getRequestUri().getRawQuery(), headers.getHeaderString(SignedRequestHeaders.TENANT), timestamp, nonce,
                RequestSignature.sha256Hex(null));
        if (!RequestSignature.matches(account.get().apiSecret().getBytes(StandardCharsets.UTF_8), canonical, signature)) {
            return refused(401, "SIGNATURE_INVALID", "The signature does not match the member's API secret.");
        }
        Instant now = clock.now();
        switch (NONCES.remember(memberId, nonce, Instant.ofEpochSecond(seconds), now)) {
            case REPLAYED -> {
                return refused(401, "NONCE_REPLAYED", "This nonce was already used within the last 5 minutes: the call is a replay. "
                        + "Send a fresh random nonce with every call.");
            }
            case FULL -> {
                long retryAfter = Math.max(1, (NONCES.untilRoom(now).toMillis() + 999) / 1000);
                return new Authorized(null, Response.status(429).type(MediaType.APPLICATION_JSON).header("Retry-After", Long.toString(retryAfter))
                        .entity(Map.of("code", "RATE_LIMITED", "message", "Too many signed calls within 5 minutes; retry after "
                                + retryAfter + " s.")).build());
            }
            default -> {
            }
        }
        String ip = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        if (!IpWhitelist.parse(account.get().authorizedIps()).allows(ip)) {
            return refused(403, "IP_NOT_AUTHORIZED", "Calls from " + ip + " are not authorized for member " + memberId
                    + "; add this address to the member's authorized IPs.");
        }
        return new Authorized(account.get(), null);
    }

    /** The error scenario this call meets, answered as an upstream platform (or the proxy before it) would. */
    private Optional<Response> trouble(String memberId) {
        Optional<Scenario> taken = memberId.length() <= 32 ? scenarios.take(memberId, false) : Optional.empty();
        if (taken.isEmpty()) {
            return Optional.empty();
        }
        Scenario scenario = taken.get();
        switch (scenario.kind()) {
            case LATENCY, TIMEOUT -> {
                sleep(scenario.delayOrDefault());
                return Optional.empty();
            }
            case SERVER_ERROR -> {
                return Optional.of(Response.status(scenario.httpStatusOrDefault()).type(MediaType.TEXT_HTML)
                        .entity("<html><body><h1>" + scenario.httpStatusOrDefault() + " Bad Gateway</h1></body></html>").build());
            }
            case SERVICE_UNAVAILABLE -> {
                return Optional.of(error(503, "SERVICE_UNAVAILABLE", "The platform is busy; try again later."));
            }
            case RATE_LIMITED -> {
                Instant now = clock.now();
                Instant reset = scenario.activeUntil() != null ? scenario.activeUntil() : now.plusSeconds(1);
                long retryAfter = Math.max(1, (Duration.between(now, reset).toMillis() + 999) / 1000);
                return Optional.of(Response.status(429).type(MediaType.APPLICATION_JSON)
                        .header("Retry-After", Long.toString(retryAfter))
                        .header("X-RateLimit-Reset", Long.toString(reset.getEpochSecond() + (reset.getNano() > 0 ? 1 : 0)))
                        .entity(Map.of("code", "RATE_LIMITED", "message", "Too many calls; retry after " + retryAfter + " s.")).build());
            }
            case MALFORMED -> {
                return Optional.of(Response.ok("{\"page\":1,\"items\":[{\"id\":\"cs-00", MediaType.APPLICATION_JSON).build());
            }
            default -> {
                return Optional.empty(); // the gateway's signature scenarios mean nothing here
            }
        }
    }

    private static Authorized refused(int status, String code, String message) {
        return new Authorized(null, error(status, code, message));
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("code", code, "message", message)).build();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String printable(String text) {
        String cut = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
