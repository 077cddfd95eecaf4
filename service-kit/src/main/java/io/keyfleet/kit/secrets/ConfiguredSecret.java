package io.keyfleet.kit.secrets;

/**
 * A secret value a service is configured with, and the setting it comes from: the setting (and, for a list, which
 * entry) is what a refusal names; the value is never shown.
 */
public record ConfiguredSecret(String setting, String value) {
}
