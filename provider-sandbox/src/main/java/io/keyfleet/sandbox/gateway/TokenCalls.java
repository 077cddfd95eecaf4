package io.keyfleet.sandbox.gateway;

import io.keyfleet.sandbox.admin.Scenario;
import io.keyfleet.sandbox.admin.Scenarios;
import io.keyfleet.sandbox.app.SandboxApp;
import io.keyfleet.sandbox.grant.GrantError;
import io.keyfleet.sandbox.grant.GrantFailure;
import io.keyfleet.sandbox.grant.Grants;
import io.keyfleet.sandbox.grant.TokenIssue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * One verified alipay.open.auth.token.app call, the same for the v2 gateway and the v3 API: takes the error scenario
 * that applies, carries out the exchange or refresh unless the scenario stops it, and logs the call (no codes or tokens).
 */
@ApplicationScoped
public class TokenCalls {

    private static final Logger LOG = Logger.getLogger(TokenCalls.class);

    public static final String AUTHORIZATION_CODE = "authorization_code";
    public static final String REFRESH_TOKEN = "refresh_token";

    /** scenario: the one taken, if any; exactly one of issue and error is set unless an unprocessed scenario answered. */
    public record Result(Optional<Scenario> scenario, TokenIssue issue, GrantError error) {
        public boolean answeredByScenario() {
            return scenario.isPresent() && !scenario.get().kind().processed();
        }
    }

    @Inject
    Grants grants;

    @Inject
    Scenarios scenarios;

    @Inject
    DataSource dataSource;

    public Result call(SandboxApp app, String grantType, String code, String refreshToken) {
        boolean refresh = REFRESH_TOKEN.equals(grantType);
        Optional<Scenario> scenario = scenarios.take(app.appId(), refresh);
        Result result;
        if (scenario.isPresent() && !scenario.get().kind().processed()) {
            result = new Result(scenario, null, null);
        } else if (AUTHORIZATION_CODE.equals(grantType)) {
            result = run(scenario, () -> grants.exchange(app, code));
        } else if (refresh) {
            result = run(scenario, () -> grants.refresh(app, refreshToken));
        } else {
            result = new Result(scenario, null, GrantError.GRANT_TYPE_INVALID);
        }
        String outcome = scenario.map(s -> "SCENARIO_" + s.kind())
                .orElseGet(() -> result.issue() != null ? "SUCCESS" : result.error().subCode());
        log(app.appId(), grantType == null || grantType.length() > 24 ? "unknown" : grantType, outcome);
        if (result.issue() != null) {
            LOG.debugf("app %s grant %d: issued generation %d", app.appId(), result.issue().grantId(), result.issue().generation());
        }
        return result;
    }

    private interface GrantAction {
        TokenIssue run() throws GrantFailure;
    }

    private static Result run(Optional<Scenario> scenario, GrantAction action) {
        try {
            return new Result(scenario, action.run(), null);
        } catch (GrantFailure failure) {
            return new Result(scenario, null, failure.error());
        }
    }

    /** Records a call; real time, so call rates can be read from it whatever the sandbox clock says. */
    public void log(String appId, String operation, String outcome) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("insert into gateway_call (at, app_id, operation, outcome) values (?, ?, ?, ?)")) {
            insert.setTimestamp(1, Timestamp.from(Instant.now()));
            insert.setString(2, appId == null || appId.length() > 32 ? null : appId);
            insert.setString(3, operation);
            insert.setString(4, outcome.length() > 48 ? outcome.substring(0, 48) : outcome);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
