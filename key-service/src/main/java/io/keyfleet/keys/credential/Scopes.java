package io.keyfleet.keys.credential;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The fixed set of scopes a credential can hold. A scope ending in {@code :*} covers every scope of that area
 * ({@code tokens:*} covers {@code tokens:issue}); otherwise a scope covers only itself — {@code keys:write} does not
 * imply {@code keys:read}.
 */
public final class Scopes {

    public static final List<String> ALL = List.of(
            "keys:read", "keys:write", "keys:material",
            "credentials:read", "credentials:admin",
            "tokens:*", "sync:*");

    private Scopes() {
    }

    /** The scopes checked against the fixed set, without duplicates, in the order given. */
    public static List<String> check(Collection<String> scopes) {
        if (scopes == null || scopes.isEmpty()) {
            throw new IllegalArgumentException("Give at least one scope, from " + ALL + ".");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String scope : scopes) {
            if (scope == null || !ALL.contains(scope)) {
                throw new IllegalArgumentException("Unknown scope '" + printable(scope) + "'; scopes are " + ALL + ".");
            }
            out.add(scope);
        }
        return new ArrayList<>(out);
    }

    public static boolean covers(Collection<String> granted, String required) {
        if (required == null || required.isBlank()) {
            return true;
        }
        for (String scope : granted) {
            if (scope.equals(required)) {
                return true;
            }
            if (scope.endsWith(":*") && required.startsWith(scope.substring(0, scope.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    private static String printable(String text) {
        if (text == null) {
            return "null";
        }
        String cut = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
