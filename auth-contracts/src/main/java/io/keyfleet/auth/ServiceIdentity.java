package io.keyfleet.auth;

import java.util.List;
import java.util.Optional;

/**
 * The suite's own services as callers of each other: each service credential holds only what its service calls.
 * <ul>
 *   <li>signing-service loads app keys (their public parts and, to sign, their private keys) and provider keys from
 *   key-service;</li>
 *   <li>token-service signs its upstream token calls and checks the answers through signing-service, acting for the
 *   grant's tenant; it never sees a key;</li>
 *   <li>sync-service keeps its pools' API secrets in key-service; it never reads a key.</li>
 * </ul>
 * Every service verifies its own callers' credentials at key-service ({@code credentials:verify}). A service name
 * not listed here (a benchmark's, a tool's) gets only that.
 *
 * <p>Private material — a key's private half, a pool's API secret — is served only to the service whose list holds
 * its scope ({@link #mayRead}): never to the administrator or any other credential, whatever its scopes say.
 */
public record ServiceIdentity(String name, List<String> scopes) {

    public static final ServiceIdentity SIGNING_SERVICE = new ServiceIdentity("signing-service",
            List.of(Scopes.CREDENTIALS_VERIFY, Scopes.KEYS_READ, Scopes.KEYS_MATERIAL));
    public static final ServiceIdentity TOKEN_SERVICE = new ServiceIdentity("token-service",
            List.of(Scopes.CREDENTIALS_VERIFY, Scopes.SIGNING_SIGN, Scopes.SIGNING_VERIFY));
    public static final ServiceIdentity SYNC_SERVICE = new ServiceIdentity("sync-service",
            List.of(Scopes.CREDENTIALS_VERIFY, Scopes.SECRETS_POOLS));

    public static final List<ServiceIdentity> KNOWN = List.of(SIGNING_SERVICE, TOKEN_SERVICE, SYNC_SERVICE);

    /** What a service credential of a name not in {@link #KNOWN} holds. */
    public static final List<String> OTHER = List.of(Scopes.CREDENTIALS_VERIFY);

    /** Prefix of a service credential's bootstrap name in key-service ({@code service:signing-service}). */
    public static final String BOOTSTRAP_PREFIX = "service:";

    public ServiceIdentity {
        scopes = List.copyOf(scopes);
    }

    public static Optional<ServiceIdentity> known(String name) {
        return KNOWN.stream().filter(identity -> identity.name.equals(name)).findFirst();
    }

    /** The most a service credential of this name may hold. */
    public static List<String> scopesOf(String name) {
        return known(name).map(ServiceIdentity::scopes).orElse(OTHER);
    }

    /** Whether the named service may be handed private material guarded by {@code scope}. */
    public static boolean mayRead(String serviceName, String scope) {
        return serviceName != null && known(serviceName).map(identity -> identity.scopes.contains(scope)).orElse(false);
    }

    /** The names of the services that may be handed private material guarded by {@code scope}. */
    public static List<String> readersOf(String scope) {
        return KNOWN.stream().filter(identity -> identity.scopes.contains(scope)).map(ServiceIdentity::name).toList();
    }
}
