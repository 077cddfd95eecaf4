package io.keyfleet.cli;

import io.keyfleet.cli.KeyServiceClient.KeyView;
import io.keyfleet.cli.KeyServiceClient.NewVersion;
import io.keyfleet.cli.KeyServiceClient.TenantView;
import io.keyfleet.cli.KeyServiceClient.VersionView;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code ./keyfleet keys} and {@code tenants} print: plain text, labelled lines and {@link TextTable}s. Times are
 * shown in UTC to the second. A private key appears only in {@link #privateKey}, and only when no file took it.
 */
final class KeyOutput {

    private static final String NL = System.lineSeparator();
    static final String PRIVATE_KEY_SHOWN_ONCE =
            "Private key (PKCS#8 PEM), shown once: store it now, key-service cannot show it again.";

    private KeyOutput() {
    }

    static String tenantCreated(TenantView tenant) {
        return "Created tenant " + tenant.id() + " (" + tenant.name() + ")." + NL
                + "Next: ./keyfleet keys generate --tenant " + tenant.id()
                + " --provider PROVIDER --app APP_ID --env sandbox" + NL;
    }

    static String generated(ManagementAction.GenerateKey request, NewVersion created, Optional<Path> privateKeyFile) {
        return paragraphs("Generated a key for " + request.provider() + " / app "
                        + request.appId() + " / " + environment(request.environment()) + "." + NL + versionLines(created),
                publicKeyLines(created, "paste it into " + request.provider() + "'s console:"),
                privateKey(created, privateKeyFile));
    }

    static String rotated(NewVersion rotated, Optional<VersionView> replaced, Optional<Path> privateKeyFile) {
        String oldVersion = replaced
                .map(old -> "The old version " + old.version() + " stays valid until " + time(old.validUntil())
                        + " (PREVIOUS); update the provider before then.")
                .orElse("The old version stays valid for the key's grace period (./keyfleet keys show "
                        + rotated.keyId() + " tells until when).");
        return paragraphs("Rotated key " + rotated.keyId() + ": version " + rotated.version()
                        + " is CURRENT and signs from now on." + NL + versionLines(rotated),
                publicKeyLines(rotated, "replace the old one in the provider's console with it:"),
                oldVersion,
                privateKey(rotated, privateKeyFile));
    }

    static String staged(NewVersion staged, String tenant, Optional<Path> privateKeyFile) {
        return paragraphs("Staged version " + staged.version() + " of key " + staged.keyId() + " as " + staged.state()
                        + ": it does not sign until promoted." + NL + versionLines(staged),
                publicKeyLines(staged, "add it in the provider's console:"),
                "Once the provider has it: ./keyfleet keys promote " + staged.keyId() + " " + staged.version()
                        + " --tenant " + tenant,
                privateKey(staged, privateKeyFile));
    }

    static String promoted(KeyView key, int version) {
        StringBuilder text = new StringBuilder();
        text.append("Version ").append(version).append(" of key ").append(key.keyId()).append(" is CURRENT and signs "
                + "from now on.").append(NL);
        replacedVersion(key, version).ifPresent(old -> text.append("The old version ").append(old.version())
                .append(" stays valid until ").append(time(old.validUntil())).append(" (PREVIOUS).").append(NL));
        return text.toString();
    }

    /**
     * The version that {@code newVersion} just replaced: the PREVIOUS one with the highest number below it (older
     * PREVIOUS versions may still be in their own grace period).
     */
    static Optional<VersionView> replacedVersion(KeyView key, int newVersion) {
        return key.versions().stream()
                .filter(v -> "PREVIOUS".equals(v.state()) && v.version() < newVersion)
                .max(Comparator.comparingInt(VersionView::version));
    }

    /** The private-key paragraph of a new version's output: where the file is, or the PEM itself, once. */
    static String privateKey(NewVersion created, Optional<Path> privateKeyFile) {
        if (privateKeyFile.isPresent()) {
            return "Private key written to " + privateKeyFile.get() + " (readable only by you); key-service cannot "
                    + "show it again.";
        }
        if (created.privateKeyPem() == null) {
            return "";
        }
        return PRIVATE_KEY_SHOWN_ONCE + NL + created.privateKeyPem().strip().replace("\n", NL);
    }

    static String keyList(List<KeyView> keys, String tenant, ManagementAction.ListKeys filters) {
        if (keys.isEmpty()) {
            List<String> conditions = new ArrayList<>();
            filters.provider().ifPresent(p -> conditions.add("provider " + p));
            filters.appId().ifPresent(a -> conditions.add("app " + a));
            filters.environment().ifPresent(e -> conditions.add("env " + environment(e)));
            return "No keys for tenant " + tenant + (conditions.isEmpty() ? "" : " with " + String.join(", ", conditions))
                    + "." + NL;
        }
        TextTable table = new TextTable("KEY ID", "PROVIDER", "APP", "ENV", "ALGORITHM", "CURRENT", "STATES");
        for (KeyView key : keys) {
            table.addRow(key.keyId(), key.provider(), key.appId(), environment(key.environment()), key.algorithm(),
                    "v" + key.currentVersion(), states(key));
        }
        return table.render();
    }

    /** {@code v1 PREVIOUS, v2 CURRENT}; retired versions only counted; a revoked key says so. */
    static String states(KeyView key) {
        if (key.revokedAt() != null) {
            return "revoked " + time(key.revokedAt());
        }
        List<VersionView> versions = key.versions().stream()
                .sorted(Comparator.comparingInt(VersionView::version)).toList();
        List<String> parts = new ArrayList<>();
        long retired = versions.stream().filter(v -> "RETIRED".equals(v.state())).count();
        if (retired > 0) {
            parts.add(retired + " RETIRED");
        }
        versions.stream().filter(v -> !"RETIRED".equals(v.state()))
                .forEach(v -> parts.add("v" + v.version() + " " + v.state()));
        return String.join(", ", parts);
    }

    static String keyDetails(KeyView key) {
        StringBuilder text = new StringBuilder();
        label(text, "Key id:", key.keyId());
        label(text, "Scope:", key.provider() + " / app " + key.appId() + " / " + environment(key.environment()));
        label(text, "Algorithm:", key.algorithm() + " (origin " + key.origin() + ")");
        label(text, "Current:", "version " + key.currentVersion());
        label(text, "Policy:", policy(key));
        label(text, "Created:", time(key.createdAt()));
        if (key.revokedAt() != null) {
            label(text, "Revoked:", time(key.revokedAt()));
        }
        text.append(NL);
        TextTable table = new TextTable("VERSION", "STATE", "ALGORITHM", "CAN SIGN", "CREATED", "PROMOTED",
                "VALID UNTIL", "RETIRED", "FINGERPRINT");
        key.versions().stream().sorted(Comparator.comparingInt(VersionView::version)).forEach(v -> table.addRow(
                String.valueOf(v.version()), v.state(), v.algorithm(), v.canSign() ? "yes" : "no", time(v.createdAt()),
                time(v.promotedAt()), time(v.validUntil()), time(v.retiredAt()), v.fingerprint()));
        text.append(table.render());
        return text.toString();
    }

    static String publicKey(String body) {
        return body.strip() + NL;
    }

    private static String policy(KeyView key) {
        String grace = "grace period " + (key.gracePeriod() == null ? "-" : duration(key.gracePeriod()));
        if (key.rotateAfterDays() == null) {
            return grace + ", no automatic rotation";
        }
        return grace + ", rotate after " + key.rotateAfterDays() + " days"
                + (key.warnDaysBefore() == null ? "" : " (warn " + key.warnDaysBefore() + " days before)");
    }

    private static String versionLines(NewVersion version) {
        StringBuilder text = new StringBuilder();
        label(text, "Key id:", version.keyId());
        label(text, "Version:", version.version() + " (" + version.state() + ")");
        label(text, "Algorithm:", version.algorithm());
        label(text, "Fingerprint:", version.fingerprint());
        return text.toString().stripTrailing();
    }

    private static String publicKeyLines(NewVersion version, String instruction) {
        return "Public key (base64), " + instruction + NL + version.publicKeyBase64();
    }

    /** Non-empty paragraphs with a blank line between them, ending with a line break. */
    private static String paragraphs(String... paragraphs) {
        StringBuilder text = new StringBuilder();
        for (String paragraph : paragraphs) {
            if (paragraph.isEmpty()) {
                continue;
            }
            if (text.length() > 0) {
                text.append(NL);
            }
            text.append(paragraph).append(NL);
        }
        return text.toString();
    }

    private static void label(StringBuilder text, String label, String value) {
        text.append(String.format("%-13s", label)).append(value).append(NL);
    }

    /** {@code sandbox} for {@code SANDBOX}: as typed on the command line. */
    static String environment(String environment) {
        return environment == null ? "-" : environment.toLowerCase(Locale.ROOT);
    }

    /** UTC to the second, e.g. {@code 2026-05-04T10:15:30Z}; {@code -} for none. */
    static String time(String instant) {
        if (instant == null || instant.isBlank()) {
            return "-";
        }
        try {
            return Instant.parse(instant).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return instant;
        }
    }

    /**
     * {@code PT24H} as {@code 24h}, {@code PT36H} as {@code 36h}; from two days on in days: {@code P3DT2H} as
     * {@code 3d 2h}. key-service writes durations as decimal seconds ({@code 86400.000000000}); ISO-8601 is read too.
     */
    static String duration(String value) {
        Duration duration;
        try {
            duration = value.startsWith("P") || value.startsWith("-P")
                    ? Duration.parse(value)
                    : Duration.ofNanos(new BigDecimal(value).movePointRight(9).longValueExact());
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            return value;
        }
        if (duration.isZero()) {
            return "0s";
        }
        List<String> parts = new ArrayList<>();
        if (duration.toHours() >= 48) {
            parts.add(duration.toDays() + "d");
            if (duration.toHoursPart() > 0) {
                parts.add(duration.toHoursPart() + "h");
            }
        } else if (duration.toHours() > 0) {
            parts.add(duration.toHours() + "h");
        }
        if (duration.toMinutesPart() > 0) {
            parts.add(duration.toMinutesPart() + "m");
        }
        if (duration.toSecondsPart() > 0) {
            parts.add(duration.toSecondsPart() + "s");
        }
        return parts.isEmpty() ? value : String.join(" ", parts);
    }
}
