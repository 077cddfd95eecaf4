package io.keyfleet.sync.support;

import java.util.Locale;

/** Patterns for {@code lower(column) like ?} (PostgreSQL's default escape character, the backslash). */
public final class Like {

    private Like() {
    }

    /** Matches a lower-cased text containing {@code text} (lower-cased, its wildcards taken literally); null for null. */
    public static String containing(String text) {
        return text == null ? null
                : "%" + text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
