package io.keyfleet.signing.scheme;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/** Small checks the schemes share; every failure is a {@link MalformedMessageException} naming the field. */
final class Parts {

    private Parts() {
    }

    static String required(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw new MalformedMessageException(field + " is required");
        }
        return value;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Strict standard base64 (no line breaks, no URL alphabet). */
    static byte[] base64(String value, String field) {
        try {
            return Base64.getDecoder().decode(required(value, field));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(field + " is not base64");
        }
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Instant epochMillis(String value, String field) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(required(value, field)));
        } catch (NumberFormatException e) {
            throw new MalformedMessageException(field + " must be Unix milliseconds");
        }
    }

    static Instant epochSeconds(String value, String field) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(required(value, field)));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw new MalformedMessageException(field + " must be Unix seconds");
        }
    }

    /** Unix milliseconds or an ISO-8601 time with offset (Antom sends both forms). */
    static Instant millisOrIso(String value, String field) {
        String text = required(value, field);
        if (!text.isEmpty() && Character.isDigit(text.charAt(0)) && text.chars().allMatch(Character::isDigit)) {
            return epochMillis(text, field);
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedMessageException(field + " must be Unix milliseconds or an ISO-8601 time with offset");
        }
    }
}
