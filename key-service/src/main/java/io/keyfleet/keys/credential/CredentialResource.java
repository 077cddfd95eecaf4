package io.keyfleet.keys.credential;

import io.keyfleet.auth.Scopes;
import io.keyfleet.keys.api.CredentialVerifyApi;
import io.keyfleet.kit.auth.RequiresScope;
import com.fasterxml.jackson.databind.JsonNode;
import io.keyfleet.kit.auth.AuthConfig;
import io.keyfleet.kit.auth.PresentedCredential;
import io.keyfleet.keys.api.Verification;
import io.keyfleet.kit.auth.VerificationCache;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.auth.IpWhitelist;
import io.keyfleet.kit.outbound.OutboundPolicy;
import io.keyfleet.kit.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * API credentials as an API: create, read, rotate, revoke, enable, disable, and verify.
 *
 * <p>An API key's type prefix comes from the {@code live} flag of the create request (default true: {@code kf_live_};
 * false: {@code kf_test_}), not from an environment of the tenant, which has none.
 */
@Path("/v1/credentials")
@RequiresScope(Scopes.CREDENTIALS_ADMIN)
@Tag(name = "API credentials", description = "Bearer API keys and SecretId/SecretKey pairs, with scopes and IP whitelists")
public class CredentialResource implements CredentialVerifyApi {

    private static final Duration MAX_GRACE = Duration.ofDays(90);
    private static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T00:00:00Z");

    public record CreateCredentialRequest(
            @NotNull CredentialKind kind,
            Boolean live,
            @NotNull @Size(min = 1, max = 20) List<String> scopes,
            JsonNode ipWhitelist,
            Instant expiresAt,
            @Size(max = 2000) String callbackUrl,
            @Size(max = 500) String remark,
            Boolean enabled,
            Duration gracePeriod) {
    }

    public record SecretVersionView(int version, String keyPrefix, Instant createdAt, Instant validUntil) {
        static SecretVersionView of(ApiCredentialSecret s) {
            return new SecretVersionView(s.version, s.keyPrefix, s.createdAt, s.validUntil);
        }
    }

    /**
     * {@code bootstrap} names a credential key-service made itself from configuration: {@code admin}, or
     * {@code service:<name>} for a service credential, whose scopes only configuration changes.
     */
    public record CredentialView(UUID credentialId, CredentialKind kind, boolean live, String secretId, List<String> scopes,
                                 List<String> ipWhitelist, Instant expiresAt, String callbackUrl, String remark, boolean enabled,
                                 int currentVersion, Duration gracePeriod, Instant revokedAt, String revokeReason,
                                 Instant createdAt, Instant updatedAt, String bootstrap, List<SecretVersionView> versions) {
        static CredentialView of(ApiCredential c) {
            return new CredentialView(c.id, c.kind, c.live, c.secretId, c.scopeList(), c.whitelist().texts(), c.expiresAt,
                    c.callbackUrl, c.remark, c.enabled, c.currentVersion, c.gracePeriod(), c.revokedAt, c.revokeReason,
                    c.createdAt, c.updatedAt, c.bootstrapName,
                    ApiCredentialSecret.of(c.id).stream().map(SecretVersionView::of).toList());
        }
    }

    public record WhoAmI(UUID credentialId, String tenantId, String actingForTenant, boolean system, String sourceIp) {
    }

    public record CredentialPage(List<CredentialView> items, int page, int size, long total) {
    }

    /** The only response that ever carries the secret: the one made by this request. */
    public record IssuedView(CredentialView credential, int version, String apiKey, String secretId, String secretKey, String notice) {
        static IssuedView of(Credentials.Issued issued) {
            return new IssuedView(CredentialView.of(issued.credential()), issued.secret().version, issued.apiKey(),
                    issued.credential().secretId, issued.secretKey(),
                    "The " + (issued.apiKey() != null ? "API key" : "SecretKey")
                            + " is shown only in this response. Store it now; it cannot be read again.");
        }
    }

    /**
     * Either apiKey, or secretId with timestamp, nonce, signature, signatureVersion (the X-Keyfleet-Signature-Version
     * header; null: the deprecated v1) and what was signed, including tenant (the X-Keyfleet-Tenant header as sent).
     */
    @Inject
    Credentials credentials;

    @Inject
    CredentialVerifier verifier;

    @Inject
    CredentialsConfig config;

    @Inject
    OutboundPolicy outboundPolicy;

    @Inject
    Caller caller;

    @Inject
    AuthConfig authConfig;

    @Inject
    VerificationCache verificationCache;

    @POST
    @Operation(summary = "Create a credential", description = "kind API_KEY (bearer key kf_live_/kf_test_…) or SECRET_PAIR "
            + "(SecretId + SecretKey for signed requests). The response carries the secret exactly once. ipWhitelist: at most 10 "
            + "IPv4/IPv6 addresses or CIDR blocks, as a JSON array or a comma-separated string; empty allows any address. "
            + "Scopes: " + "keys:read, keys:write, keys:material, credentials:read, credentials:admin, tokens:*, sync:*.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "api key",
            value = "{\"kind\":\"API_KEY\",\"live\":true,\"scopes\":[\"keys:read\"],\"ipWhitelist\":\"203.0.113.0/24,2001:db8::1\","
                    + "\"expiresAt\":\"2027-01-01T00:00:00Z\",\"remark\":\"billing integration\"}")))
    public Response create(@Valid @NotNull CreateCredentialRequest request) {
        Credentials.Spec spec = spec(request);
        Credentials.Issued issued = credentials.create(caller.tenantId(), spec);
        return Response.created(URI.create("/v1/credentials/" + issued.credential().id)).entity(IssuedView.of(issued)).build();
    }

    @GET
    @RequiresScope(Scopes.CREDENTIALS_READ)
    @Operation(summary = "List credentials", description = "Pages start at 0. No secret is ever listed.")
    public CredentialPage list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
                               @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        Credentials.PageOf<ApiCredential> found = credentials.list(caller.tenantId(), page, size);
        return new CredentialPage(found.items().stream().map(CredentialView::of).toList(), page, size, found.total());
    }

    @GET
    @RequiresScope(Scopes.CREDENTIALS_READ)
    @Path("/{id}")
    public CredentialView get(@PathParam("id") UUID id) {
        return CredentialView.of(credentials.require(caller.tenantId(), id));
    }

    @GET
    @Path("/{id}/health")
    @RequiresScope(Scopes.CREDENTIALS_READ)
    @Operation(summary = "Credential health", description = "OK, EXPIRING (within 30 days), IN_GRACE (rotated, old secret "
            + "still valid), DISABLED, EXPIRED or REVOKED, with what to do — for integrations to show \"add or replace your key\" "
            + "before calls fail. The same warnings go out as CredentialExpiring events 30 and 7 days ahead.")
    public CredentialHealth health(@PathParam("id") UUID id) {
        return CredentialHealth.of(credentials.require(caller.tenantId(), id), Instant.now());
    }

    @POST
    @Path("/{id}/rotate")
    @Operation(summary = "Rotate the secret", description = "A new secret, current at once; the old one keeps working for "
            + "gracePeriod (ISO-8601, e.g. PT1H; default the credential's own, 24 h unless set at creation).")
    public IssuedView rotate(@PathParam("id") UUID id, @QueryParam("gracePeriod") String gracePeriod) {
        return IssuedView.of(credentials.rotate(caller.tenantId(), id, grace(gracePeriod)));
    }

    @POST
    @Path("/{id}/revoke")
    @Operation(summary = "Revoke at once", description = "Every secret version stops working immediately.")
    public CredentialView revoke(@PathParam("id") UUID id, @QueryParam("reason") @Size(max = 200) String reason) {
        String why = reason == null || reason.isBlank() ? "revoked by the owner" : reason;
        return CredentialView.of(credentials.revoke(caller.tenantId(), id, why));
    }

    @POST
    @Path("/{id}/enable")
    public CredentialView enable(@PathParam("id") UUID id) {
        return CredentialView.of(credentials.setEnabled(caller.tenantId(), id, true));
    }

    @POST
    @Path("/{id}/disable")
    @Operation(summary = "Disable", description = "Verification answers DISABLED until the credential is enabled again.")
    public CredentialView disable(@PathParam("id") UUID id) {
        return CredentialView.of(credentials.setEnabled(caller.tenantId(), id, false));
    }

    @Override
    @RequiresScope(Scopes.CREDENTIALS_VERIFY)
    @Operation(summary = "Verify a presented credential", description = "Always 200 with {valid, code, message}; code is one of "
            + "VALID, MISSING, NOT_FOUND, INVALID_SIGNATURE, REPLAYED, EXPIRED, REVOKED, DISABLED, FORBIDDEN_IP, INSUFFICIENT_SCOPE. "
            + "For a signed request give secretId, timestamp (Unix seconds), nonce, signature (base64 HMAC-SHA256), signatureVersion "
            + "(the X-Keyfleet-Signature-Version header: 2; omitted = the deprecated 1), method, path, query, tenant (the "
            + "X-Keyfleet-Tenant header as sent; omitted = none) and bodySha256 (hex; omitted = empty body). sourceIp is the "
            + "caller's address as the calling service saw it. "
            + "Valid bearer-key answers are served from a short-lived cache unless the request says Cache-Control: no-cache.")
    public Verification verify(VerifyRequest request, String cacheControl) {
        PresentedCredential.Signed signed = request.secretId() == null ? null : new PresentedCredential.Signed(
                request.secretId(), request.timestamp(), request.nonce(), request.signature(), request.signatureVersion(),
                request.method(), request.path(), request.query(), request.tenant(), request.bodySha256());
        // the suite's own services verify any tenant's credentials; a tenant only its own
        String onlyTenant = caller.isSystem() ? null : caller.ownTenant();
        PresentedCredential presented = new PresentedCredential(request.apiKey(), signed, request.sourceIp(), request.requiredScope());
        // a service that has just heard of a change of some credential asks past this cache, which may not have yet
        boolean fresh = cacheControl != null && cacheControl.toLowerCase(Locale.ROOT).contains("no-cache");
        Verification cached = fresh ? null : verificationCache.get(presented);
        if (cached != null) {
            return onlyTenant == null || onlyTenant.equals(cached.tenantId()) ? cached : CredentialVerifier.keyNotFound();
        }
        long generation = verificationCache.generation();
        Verification verification = verifier.verify(presented, onlyTenant);
        verificationCache.put(presented, verification, generation);
        return verification;
    }

    @GET
    @Path("/whoami")
    @RequiresScope("")
    @Operation(summary = "The calling credential", description = "Which credential, tenant and scopes this request was "
            + "authenticated as; any valid credential may ask.")
    public WhoAmI whoAmI() {
        return new WhoAmI(caller.credentialId(), caller.ownTenant(), caller.tenantId(), caller.isSystem(), caller.sourceIp());
    }

    private Credentials.Spec spec(CreateCredentialRequest request) {
        List<String> scopes;
        IpWhitelist whitelist;
        try {
            scopes = Scopes.check(request.scopes());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("SCOPE_INVALID", e.getMessage());
        }
        String crossTenant = Scopes.firstSystemOnly(scopes);
        if (crossTenant != null && !caller.tenantId().equals(authConfig.systemTenant())) {
            throw ProblemException.badRequest("SCOPE_INVALID", "Scope '" + crossTenant + "' reaches across tenants; only credentials "
                    + "of the system tenant may hold it. Scopes a tenant's credential may hold: every scope but " + Scopes.SYSTEM_ONLY + ".");
        }
        try {
            whitelist = IpWhitelist.parse(whitelistEntries(request.ipWhitelist()));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("IP_WHITELIST_INVALID", e.getMessage());
        }
        if (request.expiresAt() != null && !request.expiresAt().isAfter(Instant.now())) {
            throw ProblemException.badRequest("EXPIRY_INVALID", "expiresAt " + request.expiresAt() + " is not in the future.");
        }
        if (request.expiresAt() != null && !request.expiresAt().isBefore(LATEST_EXPIRY)) {
            // far beyond any use, and past what the database can store
            throw ProblemException.badRequest("EXPIRY_INVALID", "expiresAt " + request.expiresAt() + " is too far away; give a "
                    + "date before " + LATEST_EXPIRY + ", or leave it out for a credential that does not expire.");
        }
        Duration grace = request.gracePeriod();
        if (grace != null && (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0)) {
            throw ProblemException.badRequest("GRACE_PERIOD_INVALID", "gracePeriod must be between PT0S and P90D.");
        }
        String remark = request.remark() == null || request.remark().isBlank() ? null : request.remark().trim();
        if (remark != null && remark.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r')) {
            // PostgreSQL cannot store U+0000 at all; other control characters have no place in a label either
            throw ProblemException.badRequest("REMARK_INVALID", "remark contains a control character; use plain text, "
                    + "tabs and line breaks only.");
        }
        return new Credentials.Spec(request.kind(), request.live() == null || request.live(), scopes, whitelist,
                request.expiresAt(), callbackUrl(request.callbackUrl()), remark, request.enabled() == null || request.enabled(), grace);
    }

    /** A JSON array of strings, or one comma-separated string; null or absent means no whitelist. */
    private static List<String> whitelistEntries(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isTextual()) {
            String text = node.asText();
            return text.isBlank() ? List.of() : List.of(text.split(",", -1));
        }
        if (node.isArray()) {
            if (node.size() > 100) {
                throw new IpWhitelist.InvalidWhitelistException("The IP whitelist has " + node.size() + " entries; at most "
                        + IpWhitelist.MAX_ENTRIES + " are allowed.");
            }
            List<String> entries = new ArrayList<>();
            for (JsonNode element : node) {
                if (!element.isTextual()) {
                    throw new IpWhitelist.InvalidWhitelistException("IP whitelist entry " + abbreviate(element.toString())
                            + " is not a string; give addresses and CIDR blocks as strings, e.g. \"10.0.0.0/8\".");
                }
                entries.add(element.asText());
            }
            return entries;
        }
        throw new IpWhitelist.InvalidWhitelistException(
                "ipWhitelist must be a JSON array of strings or a comma-separated string, e.g. \"203.0.113.7,10.0.0.0/8\".");
    }

    /**
     * A callback URL is tenant-supplied and meant to be called, so service-kit's outbound policy decides: https only
     * (http in dev and test), and its host must resolve to public addresses only (400 OUTBOUND_SCHEME_REFUSED or
     * OUTBOUND_ADDRESS_REFUSED). Checked at registration; a caller of the URL goes through the policy again.
     */
    private String callbackUrl(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw ProblemException.badRequest("CALLBACK_URL_INVALID", "callbackUrl is not a valid URL: " + abbreviate(url) + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw ProblemException.badRequest("CALLBACK_URL_INVALID", "callbackUrl must be an absolute https URL with a host and "
                    + "without user info, e.g. https://example.com/keyfleet/callback.");
        }
        try {
            outboundPolicy.check(uri, "callbackUrl");
        } catch (UnknownHostException e) {
            throw ProblemException.badRequest("CALLBACK_URL_INVALID", "callbackUrl: the host " + abbreviate(uri.getHost())
                    + " does not resolve; give a URL whose host has a public address.");
        }
        return uri.toString();
    }

    /** Parsed here, so a bad value gets a 400 saying what is allowed. */
    private static Duration grace(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Duration grace;
        try {
            grace = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("GRACE_PERIOD_INVALID", "gracePeriod must be an ISO-8601 duration such as PT1H.");
        }
        if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
            throw ProblemException.badRequest("GRACE_PERIOD_INVALID", "gracePeriod must be between PT0S and P90D.");
        }
        return grace;
    }

    private static String abbreviate(String text) {
        String cut = text.length() > 60 ? text.substring(0, 60) + "…" : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
