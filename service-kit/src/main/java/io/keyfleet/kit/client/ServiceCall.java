package io.keyfleet.kit.client;

import io.smallrye.faulttolerance.api.Guard;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one place a call from one of the suite's services to another gets its timeout, retries and circuit breaker (SmallRye
 * Fault Tolerance, a programmatic guard per target and use), and the one way its failures reach the caller: a
 * {@link ClientFailure} with the other side's status, or 0 when nothing answered in time. The guard's description names it in
 * the fault-tolerance metrics ({@code ft.*}); the typed client's own requests are counted in {@code http.client.requests}.
 * <p>
 * The circuit breaker opens after half of the last 4 calls failed for want of an answer (0 or 5xx; a 4xx is an answer) and
 * then refuses calls at once for 2 s, so a service that is down costs its callers nothing but the refusal. Retries (only for
 * calls that may be repeated) come after 50 ms, and only when nothing answered.
 */
public final class ServiceCall {

    private final String service;
    private final Guard guard;

    private ServiceCall(String service, Guard guard) {
        this.service = service;
        this.guard = guard;
    }

    /** Calls to {@code service} ({@code use} names them in metrics) that give up after {@code timeout} and retry {@code retries} times. */
    public static ServiceCall to(String service, String use, Duration timeout, int retries) {
        Guard.Builder builder = Guard.create().withDescription(service + " " + use)
                .withTimeout().duration(timeout.toMillis(), ChronoUnit.MILLIS).done()
                .withCircuitBreaker().requestVolumeThreshold(4).failureRatio(0.5).delay(2, ChronoUnit.SECONDS)
                .when(ServiceCall::noAnswer).done();
        if (retries > 0) {
            builder.withRetry().maxRetries(retries).delay(50, ChronoUnit.MILLIS).jitter(0, ChronoUnit.MILLIS)
                    .whenException(ServiceCall::noAnswer).done();
        }
        return new ServiceCall(service, builder.build());
    }

    /** Without timeout, retries or circuit breaker: for unit tests that run without Quarkus. */
    public static ServiceCall unguarded(String service) {
        return new ServiceCall(service, null);
    }

    /** The answer; a {@link ClientFailure} for any error status, or status 0 when nothing answered. */
    @SuppressWarnings("unchecked")
    public <T> T call(Supplier<T> call) {
        Supplier<T> mapped = () -> {
            try {
                return call.get();
            } catch (RuntimeException e) {
                throw ClientFailure.of(service, e);
            }
        };
        try {
            return guard == null ? mapped.get() : (T) guard.get((Supplier<Object>) mapped, Object.class);
        } catch (RuntimeException e) {
            throw ClientFailure.of(service, e);
        }
    }

    /** The answer, empty when the other side answered 404. */
    public <T> Optional<T> find(Supplier<T> call) {
        try {
            return Optional.ofNullable(call(call));
        } catch (ClientFailure e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** For a call that answers nothing (204). */
    public void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    private static boolean noAnswer(Throwable e) {
        return !(e instanceof ClientFailure failure) || failure.unreachable();
    }
}
