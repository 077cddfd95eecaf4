package io.keyfleet.sandbox.grant;

import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.sandbox.app.SandboxApps;
import io.keyfleet.sandbox.support.Hashes;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What a merchant's click on "authorize" does on the real platform: a one-time app_auth_code for the ISV app. */
@Path("/sandbox/consents")
@Tag(name = "Sandbox: merchant consent", description = "A merchant authorizes an ISV app; the app receives a one-time app_auth_code")
public class ConsentResource {

    public record ConsentRequest(
            @NotNull @Pattern(regexp = "[0-9A-Za-z_-]{1,32}") String appId,
            @Pattern(regexp = "[0-9]{16}", message = "must be 16 digits, e.g. 2088102150527498") String userId,
            @Pattern(regexp = "[0-9]{16}", message = "must be 16 digits, e.g. 2021003146698562") String authAppId) {
    }

    public record ConsentView(String appAuthCode, String appId, String userId, String authAppId, Instant expiresAt) {
    }

    @Inject
    Grants grants;

    @Inject
    SandboxApps apps;

    @POST
    @Operation(summary = "Authorize an app for a merchant and get its one-time app_auth_code",
            description = "userId (the merchant's 2088… id) and authAppId (the merchant app authorized) are made up when absent. "
                    + "The code is good for one exchange within keyfleet.sandbox.auth-code-lifetime (24 h).")
    public Response consent(@Valid @NotNull ConsentRequest request) {
        if (apps.find(request.appId()).isEmpty()) {
            throw ProblemException.notFound("APP_NOT_FOUND", "No app '" + request.appId() + "' is registered; PUT /sandbox/admin/apps/"
                    + request.appId() + " first.");
        }
        String userId = request.userId() != null ? request.userId() : "2088" + Hashes.randomDigits(12);
        String authAppId = request.authAppId() != null ? request.authAppId() : "2021" + Hashes.randomDigits(12);
        Grants.IssuedCode code = grants.issueCode(request.appId(), userId, authAppId);
        return Response.status(201)
                .entity(new ConsentView(code.appAuthCode(), code.appId(), code.userId(), code.authAppId(), code.expiresAt())).build();
    }
}
