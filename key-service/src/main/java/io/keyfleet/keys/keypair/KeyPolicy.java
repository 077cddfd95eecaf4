package io.keyfleet.keys.keypair;

import java.time.Duration;

/**
 * How a key's versions age: how long a replaced version stays valid, and the optional auto-rotation
 * (a new version every {@code rotateAfterDays}, KeyExpiring {@code warnDaysBefore} days ahead).
 */
public record KeyPolicy(Duration gracePeriod, Integer rotateAfterDays, Integer warnDaysBefore) {
}
