package io.keyfleet.sandbox.admin;

import java.time.Instant;

/** An active error scenario; appId null means every app. remaining null: no count limit; activeUntil null: no time limit. */
public record Scenario(long id, ScenarioKind kind, String appId, Integer remaining, Instant activeUntil, Long delayMillis,
                       Integer httpStatus, Instant createdAt, int applied) {

    public long delayOrDefault() {
        if (delayMillis != null) {
            return delayMillis;
        }
        return kind == ScenarioKind.TIMEOUT ? 60_000 : 2_000;
    }

    public int httpStatusOrDefault() {
        return httpStatus != null ? httpStatus : 502;
    }
}
