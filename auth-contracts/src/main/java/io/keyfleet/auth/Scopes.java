package io.keyfleet.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The fixed set of scopes a credential can hold, one per kind of operation of the suite. A scope ending in
 * {@code :*} covers every scope of that area ({@code tokens:*} covers {@code tokens:write}); otherwise a scope covers
 * only itself — {@code keys:write} does not imply {@code keys:read}.
 *
 * <p>{@link #SYSTEM_ONLY} scopes reach across tenants (create tenants and act for them, read private key material
 * for signing, read pools' API secrets); only credentials of the system tenant may hold them. What each of the
 * suite's own services holds is {@link ServiceIdentity}'s business.
 */
public final class Scopes {

    public static final String KEYS_READ = "keys:read";
    public static final String KEYS_WRITE = "keys:write";
    public static final String KEYS_MATERIAL = "keys:material";
    public static final String CREDENTIALS_READ = "credentials:read";
    public static final String CREDENTIALS_ADMIN = "credentials:admin";
    public static final String CREDENTIALS_VERIFY = "credentials:verify";
    public static final String ONETIME_APPLY = "onetime:apply";
    public static final String ONETIME_DECRYPT = "onetime:decrypt";
    public static final String AUDIT_READ = "audit:read";
    public static final String TENANTS_ADMIN = "tenants:admin";
    public static final String SECRETS_ADMIN = "secrets:admin";
    public static final String SECRETS_POOLS = "secrets:pools";
    public static final String SIGNING_SIGN = "signing:sign";
    public static final String SIGNING_VERIFY = "signing:verify";
    /** Encrypt content with an app's content key (Alipay's encrypt_key); decrypting is a separate scope. */
    public static final String SIGNING_ENCRYPT = "signing:encrypt";
    public static final String SIGNING_DECRYPT = "signing:decrypt";
    public static final String TOKENS_READ = "tokens:read";
    public static final String TOKENS_WRITE = "tokens:write";
    public static final String SYNC_READ = "sync:read";
    public static final String SYNC_WRITE = "sync:write";

    public static final List<String> ALL = List.of(KEYS_READ, KEYS_WRITE, KEYS_MATERIAL, CREDENTIALS_READ, CREDENTIALS_ADMIN,
            CREDENTIALS_VERIFY, ONETIME_APPLY, ONETIME_DECRYPT, AUDIT_READ, TENANTS_ADMIN, SECRETS_ADMIN, SECRETS_POOLS, SIGNING_SIGN,
            SIGNING_VERIFY, SIGNING_ENCRYPT, SIGNING_DECRYPT, TOKENS_READ, TOKENS_WRITE, SYNC_READ, SYNC_WRITE);

    public static final List<String> SYSTEM_ONLY = List.of(TENANTS_ADMIN, KEYS_MATERIAL, SECRETS_ADMIN, SECRETS_POOLS);

    private Scopes() {
    }

    /** The scopes checked against the fixed set (or an area wildcard), without duplicates, in the order given. */
    public static List<String> check(Collection<String> scopes) {
        if (scopes == null || scopes.isEmpty()) {
            throw new IllegalArgumentException("Give at least one scope, from " + ALL + " (or an area such as tokens:*).");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String scope : scopes) {
            if (scope == null || !(ALL.contains(scope) || isAreaWildcard(scope))) {
                throw new IllegalArgumentException("Unknown scope '" + printable(scope) + "'; scopes are " + ALL
                        + ", or an area such as tokens:*.");
            }
            out.add(scope);
        }
        return new ArrayList<>(out);
    }

    /** The first scope that only system credentials may hold (directly or through a wildcard), or null. */
    public static String firstSystemOnly(Collection<String> scopes) {
        for (String scope : scopes) {
            for (String systemOnly : SYSTEM_ONLY) {
                if (covers(List.of(scope), systemOnly)) {
                    return scope;
                }
            }
        }
        return null;
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

    private static boolean isAreaWildcard(String scope) {
        if (!scope.endsWith(":*")) {
            return false;
        }
        String area = scope.substring(0, scope.length() - 1);
        return ALL.stream().anyMatch(s -> s.startsWith(area));
    }

    private static String printable(String text) {
        if (text == null) {
            return "null";
        }
        String cut = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
