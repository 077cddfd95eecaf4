package io.keyfleet.sync.pool;

import io.keyfleet.auth.IpWhitelist;
import io.keyfleet.kit.problem.ProblemException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * What an operator sends to create or update a pool. On update, absent fields keep their value. {@code apiSecret}
 * or {@code generateSecret: true} replaces the secret. {@code syncIntervalMinutes: 0} means no schedule (it ends one).
 * Checked field by field; the first bad one is named in a 400.
 */
public record PoolDefinition(String providerName, String type, String memberId, String apiBaseUrl, String apiSecret,
                             Boolean generateSecret, List<String> authorizedIps, Boolean priceProtection, BigDecimal exchangeRate,
                             String remark, Integer syncIntervalMinutes) {

    @Override
    public String toString() {
        return "PoolDefinition[" + providerName + ", " + memberId + ", " + apiBaseUrl + "]";
    }

    /** Checks a complete definition (create) or the fields present (update). */
    public void check(boolean create) {
        text("providerName", providerName, 100, create);
        text("type", type, 40, create);
        if (memberId != null || create) {
            if (memberId == null || !memberId.matches("[A-Za-z0-9_-]{1,64}")) {
                throw invalid("memberId", "give the upstream member id: 1-64 letters, digits, '_' or '-'.");
            }
        }
        if (apiBaseUrl != null || create) {
            baseUrl(apiBaseUrl);
        }
        boolean generate = Boolean.TRUE.equals(generateSecret);
        if (generate && apiSecret != null) {
            throw invalid("apiSecret", "give an API secret or ask for one to be generated (generateSecret), not both.");
        }
        if (create && apiSecret == null && !generate) {
            throw invalid("apiSecret", "give the API secret the platform issued for the member, or set generateSecret to true.");
        }
        if (apiSecret != null && (apiSecret.length() < 8 || apiSecret.length() > 512 || !apiSecret.matches("[\\x21-\\x7e]+"))) {
            throw invalid("apiSecret", "8-512 printable characters without spaces.");
        }
        if (authorizedIps != null) {
            try {
                IpWhitelist.parse(authorizedIps);
            } catch (IpWhitelist.InvalidWhitelistException e) {
                throw invalid("authorizedIps", e.getMessage());
            }
        }
        if (exchangeRate != null && exchangeRate.signum() <= 0) {
            throw invalid("exchangeRate", "must be greater than 0 (platform currency per unit of the pool's currency).");
        }
        if (exchangeRate != null && (exchangeRate.scale() > 8 || exchangeRate.precision() - exchangeRate.scale() > 10)) {
            throw invalid("exchangeRate", "at most 10 digits before and 8 after the decimal point.");
        }
        if (remark != null && remark.length() > 500) {
            throw invalid("remark", "at most 500 characters.");
        }
        if (syncIntervalMinutes != null && syncIntervalMinutes != 0 && (syncIntervalMinutes < 5 || syncIntervalMinutes > 7 * 24 * 60)) {
            throw invalid("syncIntervalMinutes", "between 5 minutes and 7 days (10080), or 0 for no schedule.");
        }
    }

    /** The schedule to store: null for none (0 or absent on create). */
    Integer schedule() {
        return syncIntervalMinutes == null || syncIntervalMinutes == 0 ? null : syncIntervalMinutes;
    }

    static URI baseUrl(String text) {
        if (text == null || text.isBlank() || text.length() > 500) {
            throw invalid("apiBaseUrl", "give the platform's API base URL, e.g. https://api.example.com (at most 500 characters).");
        }
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw invalid("apiBaseUrl", "'" + printable(text) + "' is not an http(s) URL with a host and without query, "
                        + "fragment or user info, e.g. https://api.example.com.");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw invalid("apiBaseUrl", "'" + printable(text) + "' is not a URL, e.g. https://api.example.com.");
        }
    }

    private static void text(String field, String value, int max, boolean required) {
        if (value == null) {
            if (required) {
                throw invalid(field, "required.");
            }
            return;
        }
        if (value.isBlank() || value.length() > max) {
            throw invalid(field, "1-" + max + " characters.");
        }
    }

    static ProblemException invalid(String field, String message) {
        return ProblemException.badRequest("VALIDATION_FAILED", field + ": " + message);
    }

    private static String printable(String text) {
        String cut = text.length() > 60 ? text.substring(0, 60) + "…" : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
