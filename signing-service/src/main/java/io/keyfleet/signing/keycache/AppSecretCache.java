package io.keyfleet.signing.keycache;

import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.signing.crypto.HmacSigner;
import io.keyfleet.kit.client.ClientFailure;
import io.keyfleet.keys.api.AppSecretMaterialApi.SecretMaterial;
import io.keyfleet.keys.api.AppSecretMaterialApi.SecretVersionMaterial;
import io.keyfleet.signing.support.SigningConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * App secrets (AES content keys, keyfleet-hmac secrets) in memory, by tenant, provider, app, environment and type. A
 * secret's usable versions and their bytes come from key-service's material API, the path private keys take; they are
 * held for {@code keyfleet.signing.secret-cache-ttl} and then read again, so a rotation or revocation in key-service
 * takes effect here within that time (app secrets have no events). A decryption asking for a version this replica does
 * not hold reads again at once. While key-service cannot be reached, what is held goes on serving, each version only
 * until its grace ends. Nothing is ever written anywhere.
 */
@ApplicationScoped
public class AppSecretCache {

    public static final String AES = "AES";
    public static final String HMAC_SHA256 = "HMAC_SHA256";

    public record SecretRef(String tenantId, String provider, String appId, String environment, String type) {
    }

    /** One usable version; {@code state} CURRENT or PREVIOUS (then usable until {@code validUntil}). */
    public static final class Version {
        public final int number;
        public final String state;
        public final Instant validUntil;
        private final byte[] bytes;
        private volatile HmacSigner hmac;

        Version(int number, String state, Instant validUntil, byte[] bytes) {
            this.number = number;
            this.state = state;
            this.validUntil = validUntil;
            this.bytes = bytes;
        }

        public boolean usable(Instant now) {
            return CachedKey.CURRENT.equals(state) || (CachedKey.PREVIOUS.equals(state) && validUntil != null && now.isBefore(validUntil));
        }

        /** The secret's bytes; callers must not change them. */
        public byte[] bytes() {
            return bytes;
        }

        /** An HMAC-SHA256 signer with this version's bytes, made once. */
        public HmacSigner hmac() {
            HmacSigner signer = hmac;
            if (signer == null) {
                signer = new HmacSigner(number, bytes);
                hmac = signer;
            }
            return signer;
        }

        @Override
        public String toString() {
            return "Version[" + number + " " + state + "]"; // never the bytes
        }
    }

    /** A secret as key-service last described it: the CURRENT version and the others, newest first. */
    public record Secret(String secretId, int currentVersion, List<Version> versions, Instant fetchedAt) {
        public Version current() {
            return versions.stream().filter(v -> v.number == currentVersion && CachedKey.CURRENT.equals(v.state)).findFirst()
                    .orElse(null);
        }

        /** The usable versions now, newest first, CURRENT first. */
        public List<Version> usable(Instant now) {
            return versions.stream().filter(v -> v.usable(now))
                    .sorted(Comparator.comparing((Version v) -> !CachedKey.CURRENT.equals(v.state)).thenComparing(v -> -v.number)).toList();
        }

        @Override
        public String toString() {
            return "Secret[" + secretId + " v" + currentVersion + "]";
        }
    }

    private final ConcurrentHashMap<SecretRef, Secret> secrets = new ConcurrentHashMap<>();

    @Inject
    KeyService keyService;

    @Inject
    SigningConfig config;

    /** The secret, read from key-service when not held or held longer than the cache's time. */
    public Secret get(SecretRef ref) {
        Secret held = secrets.get(ref);
        if (held != null && held.fetchedAt().plus(config.secretCacheTtl()).isAfter(Instant.now())) {
            return held;
        }
        return fetch(ref, held);
    }

    /** The secret read from key-service now (a version was asked for that is not held). */
    public Secret reload(SecretRef ref) {
        return fetch(ref, secrets.get(ref));
    }

    private Secret fetch(SecretRef ref, Secret held) {
        SecretMaterial material;
        try {
            material = keyService.appSecret(ref.tenantId(), ref.provider(), ref.appId(), ref.environment(), ref.type()).orElse(null);
        } catch (ClientFailure e) {
            if (held != null && e.unreachable()) {
                return held; // each version still serves only within its grace: see Version.usable
            }
            throw new ProblemException(e.unreachable() ? 503 : 502, "KEY_SERVICE_UNAVAILABLE", "Key not available",
                    "This secret is not held here and key-service could not be asked: " + e.getMessage());
        }
        if (material == null) {
            secrets.remove(ref);
            throw notFound(ref);
        }
        if (!ref.tenantId().equals(material.tenantId()) || !ref.provider().equals(material.provider())
                || !ref.appId().equals(material.appId()) || !ref.environment().equals(material.environment().name())
                || !ref.type().equals(material.type().name())) {
            // never use a secret of another tenant, app or environment
            throw new ProblemException(409, "KEY_MISMATCH", "Secret cannot be used", "key-service's material for this secret"
                    + " belongs to another app or environment; it is not used.");
        }
        List<Version> versions = material.versions().stream().map(AppSecretCache::version).toList();
        Secret secret = new Secret(material.secretId().toString(), material.currentVersion(), versions, Instant.now());
        secrets.put(ref, secret);
        return secret;
    }

    private static Version version(SecretVersionMaterial v) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(v.secret());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ProblemException(502, "KEY_SERVICE_ERROR", "Key not available", "key-service's answer could not be read");
        }
        return new Version(v.version(), v.state().name(), v.validUntil(), bytes);
    }

    public static ProblemException notFound(SecretRef ref) {
        return ProblemException.notFound("SECRET_NOT_FOUND", "No " + ref.environment() + " " + ref.type() + " secret for app '"
                + ref.appId() + "' at '" + ref.provider() + "'; set it in key-service (POST /v1/app-secrets).");
    }
}
