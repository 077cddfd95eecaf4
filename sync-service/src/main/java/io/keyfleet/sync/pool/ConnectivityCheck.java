package io.keyfleet.sync.pool;

import io.keyfleet.sync.upstream.PoolApiClient;
import io.keyfleet.sync.upstream.UpstreamException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.List;

/**
 * Reachable / authenticated / IP authorized / balance readable, from one signed account call bounded by the upstream
 * timeout. A step after a failed one is reported as not tried.
 */
@ApplicationScoped
public class ConnectivityCheck {

    public record Step(String step, Boolean ok, String message) {
    }

    public record Report(boolean ok, PoolHealth health, List<Step> steps, String currency, BigDecimal balance, BigDecimal creditLimit) {

        /** The first failed step's message, for the pool's health message. */
        public String message() {
            return steps.stream().filter(step -> Boolean.FALSE.equals(step.ok())).map(Step::message).findFirst().orElse("All checks passed.");
        }

        /** The definition field an operator should fix for a failed check, for a 4xx before saving. */
        public String field() {
            return switch (health) {
                case UNREACHABLE -> "apiBaseUrl";
                case AUTH_FAILED, SECRET_MISSING -> "apiSecret";
                case IP_NOT_AUTHORIZED -> "authorizedIps";
                default -> "memberId";
            };
        }
    }

    private static final String NOT_TRIED = "Not tried: an earlier step failed.";

    @Inject
    PoolApiClient upstream;

    public Report check(PoolApiClient.Endpoint endpoint) {
        try {
            PoolApiClient.Account account = upstream.account(endpoint);
            return new Report(true, PoolHealth.HEALTHY, List.of(
                    new Step("reachable", true, "The platform answers at " + endpoint.baseUrl() + "."),
                    new Step("authenticated", true, "Member " + endpoint.memberId() + " and the API secret are accepted."),
                    new Step("ipAuthorized", true, "This server's address is authorized."),
                    new Step("balanceReadable", true, "Balance " + account.balance() + " " + account.currency() + ", credit limit "
                            + account.creditLimit() + ".")),
                    account.currency(), account.balance(), account.creditLimit());
        } catch (UpstreamException e) {
            return switch (e.kind()) {
                case UNREACHABLE, TIMEOUT -> failed(PoolHealth.UNREACHABLE, 0, e.getMessage());
                case AUTH_FAILED -> failed(PoolHealth.AUTH_FAILED, 1, e.getMessage());
                case IP_NOT_AUTHORIZED -> failed(PoolHealth.IP_NOT_AUTHORIZED, 2, e.getMessage());
                default -> failed(PoolHealth.BALANCE_UNREADABLE, 3, e.getMessage()
                        + " The account could not be read; try again later or ask the platform.");
            };
        }
    }

    public static Report secretMissing() {
        return new Report(false, PoolHealth.SECRET_MISSING, List.of(new Step("authenticated", false,
                "key-service holds no API secret for this pool; set the pool's API secret again.")), null, null, null);
    }

    private static Report failed(PoolHealth health, int failedStep, String message) {
        String[] names = {"reachable", "authenticated", "ipAuthorized", "balanceReadable"};
        Step[] steps = new Step[4];
        for (int i = 0; i < 4; i++) {
            steps[i] = i < failedStep ? new Step(names[i], true, "Passed.") : i == failedStep ? new Step(names[i], false, message)
                    : new Step(names[i], null, NOT_TRIED);
        }
        return new Report(false, health, List.of(steps), null, null, null);
    }
}
