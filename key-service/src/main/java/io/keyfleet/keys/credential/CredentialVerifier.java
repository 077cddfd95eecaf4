package io.keyfleet.keys.credential;

import io.keyfleet.auth.ApiKeyFormat;
import io.keyfleet.auth.RequestSignature;
import io.keyfleet.auth.RequestSignature.Version;
import io.keyfleet.auth.Scopes;
import io.keyfleet.auth.SignedRequestHeaders;
import io.keyfleet.auth.VerificationCode;
import io.keyfleet.keys.audit.FailedVerifications;
import io.keyfleet.keys.secret.SecretNotFoundException;
import io.keyfleet.kit.auth.PresentedCredential;
import io.keyfleet.keys.api.Verification;
import io.keyfleet.keys.secret.SecretStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Verifies a presented credential in-process: a bearer API key, or a request signed with a SecretId/SecretKey pair
 * (see {@link RequestSignature}), together with the caller's source address and the scope the operation needs.
 * Never throws for bad input: every outcome is a {@link Verification} with a {@link VerificationCode} and a message a
 * person can act on.
 *
 * <p>Order of checks: the credential is found (API key: format and checksum, then the SHA-256 hash; signed request:
 * SecretId), revoked → REVOKED, the signature format (v1 only while {@link CredentialsConfig#signatureV1Accepted()}), the
 * signature and its timestamp window are checked (a stale or future timestamp is INVALID_SIGNATURE, naming the clock
 * difference), the nonce is remembered (seen before → REPLAYED), then a replaced
 * secret past its grace → EXPIRED, disabled → DISABLED, past expiry → EXPIRED, source address → FORBIDDEN_IP,
 * scope → INSUFFICIENT_SCOPE. Hashes and signatures are compared in constant time.
 */
@ApplicationScoped
public class CredentialVerifier {

    private static final Logger LOG = Logger.getLogger(CredentialVerifier.class);
    /** Requests signed in the deprecated v1 format, by outcome (accepted, refused). */
    static final String V1_METRIC = "keyfleet_auth_signature_v1";

    private static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{1,12}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final String EMPTY_BODY_SHA256 = RequestSignature.sha256Hex(new byte[0]);
    private static final String V2_HOW_TO = "Sign v2\\nMETHOD\\nPATH\\nQUERY\\nTENANT\\nTIMESTAMP\\nNONCE\\nSHA256HEX(body), where "
            + "TENANT is the " + SignedRequestHeaders.TENANT + " header as sent (empty without it), with HMAC-SHA256, send it "
            + "base64-encoded and send " + SignedRequestHeaders.SIGNATURE_VERSION + ": 2.";

    @Inject
    EntityManager entityManager;

    @Inject
    SecretStore secretStore;

    @Inject
    CredentialsConfig config;

    @Inject
    FailedVerifications failedVerifications;

    @Inject
    MeterRegistry metrics;

    /**
     * Verifies against every credential of every tenant, or only those of {@code onlyTenant} when it is not null: a
     * credential of another tenant is then NOT_FOUND, as if it did not exist.
     */
    public Verification verify(PresentedCredential presented, String onlyTenant) {
        Verification verification = verifyInTransaction(presented, onlyTenant);
        if (!verification.valid()) {
            failedVerifications.failed(presented == null ? null : presented.sourceIp(), verification.code());
        }
        return verification;
    }

    @Transactional
    Verification verifyInTransaction(PresentedCredential presented, String onlyTenant) {
        boolean hasKey = presented != null && presented.hasApiKey();
        boolean hasSignature = presented != null && presented.hasSignature();
        if (!hasKey && !hasSignature) {
            return Verification.refused(VerificationCode.MISSING, "No credential was presented; send your API key "
                    + "(Authorization: Bearer kf_live_…) or sign the request with your SecretId and SecretKey.");
        }
        if (hasKey && hasSignature) {
            return Verification.refused(VerificationCode.MISSING,
                    "Both an API key and a signed request were presented; send exactly one of them.");
        }
        return hasKey ? verifyKey(presented, onlyTenant) : verifySigned(presented, onlyTenant);
    }

    private Verification verifyKey(PresentedCredential presented, String onlyTenant) {
        String key = presented.apiKey().trim();
        if (key.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = key.substring(7).trim();
        }
        if (!ApiKeyFormat.isWellFormed(key)) {
            return Verification.refused(VerificationCode.NOT_FOUND, "The presented value is not a Keyfleet API key (its format "
                    + "or checksum is wrong); copy the whole key, starting with kf_live_ or kf_test_, without spaces.");
        }
        String hash = Credentials.hash(key);
        ApiCredentialSecret secret = ApiCredentialSecret.find("keyHash", hash).firstResult();
        if (secret == null || !MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
                secret.keyHash.getBytes(StandardCharsets.US_ASCII))) {
            return keyNotFound();
        }
        ApiCredential credential = ApiCredential.findById(secret.credentialId);
        if (onlyTenant != null && !onlyTenant.equals(credential.tenantId)) {
            return keyNotFound();
        }
        if (credential.isRevoked()) {
            return revoked(credential);
        }
        return checkState(credential, secret, presented);
    }

    private Verification verifySigned(PresentedCredential presented, String onlyTenant) {
        PresentedCredential.Signed signed = presented.signed();
        String secretId = signed.secretId().trim();
        // only SecretIds of the issued shape reach the database: a NUL character would fail the query itself
        ApiCredential credential = SECRET_ID.matcher(secretId).matches()
                ? ApiCredential.find("secretId", secretId).firstResult() : null;
        if (credential == null || (onlyTenant != null && !onlyTenant.equals(credential.tenantId))) {
            return Verification.refused(VerificationCode.NOT_FOUND, "No credential has SecretId '" + printable(signed.secretId())
                    + "'; check the SecretId your integration sends, or create a new pair under Credentials.");
        }
        if (credential.isRevoked()) {
            return revoked(credential);
        }
        String problem = malformed(signed);
        if (problem != null) {
            return Verification.refused(VerificationCode.INVALID_SIGNATURE, problem);
        }
        Version version = Version.of(signed.version());
        Instant now = Instant.now();
        if (version == Version.V1 && !v1Accepted(now)) {
            metrics.counter(V1_METRIC, "outcome", "refused").increment();
            return Verification.refused(VerificationCode.INVALID_SIGNATURE, "This request is signed in the first format (no "
                    + SignedRequestHeaders.SIGNATURE_VERSION + " header), which is no longer accepted because it does not cover "
                    + "the " + SignedRequestHeaders.TENANT + " header. " + V2_HOW_TO);
        }
        long skew = now.getEpochSecond() - Long.parseLong(signed.timestamp());
        Duration window = config.signatureWindow();
        if (Math.abs(skew) > window.toSeconds()) {
            return Verification.refused(VerificationCode.INVALID_SIGNATURE, "The request timestamp " + signed.timestamp()
                    + " is " + Math.abs(skew) + " seconds " + (skew > 0 ? "old" : "in the future") + "; it must be within "
                    + window.toMinutes() + " minutes of the server time. Sign each request with the current Unix time "
                    + "in seconds and check the caller's clock.");
        }
        String canonical = RequestSignature.canonical(version, signed.method(), signed.path(), signed.query(), signed.tenant(),
                signed.timestamp(), signed.nonce(), signed.bodySha256() == null ? EMPTY_BODY_SHA256 : signed.bodySha256());
        // every version whose SecretKey still exists: one past its grace (not yet destroyed) matches to say EXPIRED
        ApiCredentialSecret matched = null;
        for (ApiCredentialSecret secret : ApiCredentialSecret.of(credential.id)) {
            if (secret.secretRef == null) {
                continue;
            }
            byte[] secretKey;
            try {
                secretKey = secretStore.get(secret.secretRef, 1);
            } catch (SecretNotFoundException e) {
                continue;
            }
            try {
                if (RequestSignature.matches(secretKey, canonical, signed.signature())
                        && (matched == null || !matched.usableAt(now))) {
                    matched = secret;
                }
            } finally {
                Arrays.fill(secretKey, (byte) 0);
            }
        }
        if (matched == null) {
            return Verification.refused(VerificationCode.INVALID_SIGNATURE, "The signature does not match. " + V2_HOW_TO
                    + " Use the current SecretKey of " + credential.secretId + "; if the key was rotated, use the new SecretKey.");
        }
        int inserted = entityManager.createNativeQuery("insert into api_credential_nonce (credential_id, nonce, seen_at) "
                        + "values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, credential.id).setParameter(2, signed.nonce()).setParameter(3, now.truncatedTo(ChronoUnit.MICROS))
                .executeUpdate();
        if (inserted == 0) {
            return Verification.refused(VerificationCode.REPLAYED, "Nonce '" + signed.nonce() + "' was already used within the last "
                    + window.toMinutes() + " minutes; this request is a replay. Send a fresh random nonce with every request.");
        }
        if (version == Version.V1) {
            metrics.counter(V1_METRIC, "outcome", "accepted").increment();
            LOG.warnf("Credential %s (SecretId %s, tenant %s) signed a request in the deprecated v1 format, which does not cover %s; "
                    + "move its client to v2 (%s: 2) before v1 is turned off (keyfleet.credentials.signature-v1-accepted)",
                    credential.id, credential.secretId, credential.tenantId, SignedRequestHeaders.TENANT,
                    SignedRequestHeaders.SIGNATURE_VERSION);
        }
        return checkState(credential, matched, presented);
    }

    private boolean v1Accepted(Instant now) {
        return v1Accepted(config.signatureV1Accepted(), config.signatureV1RefusedFrom(), now);
    }

    /** Whether format v1 is accepted at {@code now}: switched on and, if a day is set, before that day starts (UTC). */
    static boolean v1Accepted(boolean accepted, Optional<LocalDate> refusedFrom, Instant now) {
        return accepted && refusedFrom.map(day -> now.isBefore(day.atStartOfDay(ZoneOffset.UTC).toInstant())).orElse(true);
    }

    private Verification checkState(ApiCredential credential, ApiCredentialSecret secret, PresentedCredential presented) {
        Instant now = Instant.now();
        if (!secret.usableAt(now)) {
            return Verification.refused(VerificationCode.EXPIRED, "This secret was replaced by a rotation and its grace period ended on "
                    + day(secret.validUntil) + "; use the current secret of credential " + credential.id
                    + ", or rotate again under Credentials if it was lost.");
        }
        if (!credential.enabled) {
            return Verification.refused(VerificationCode.DISABLED, "Credential " + credential.id
                    + " is disabled; enable it under Credentials, or use another credential.");
        }
        if (credential.expiresAt != null && !now.isBefore(credential.expiresAt)) {
            return Verification.refused(VerificationCode.EXPIRED, "The key expired on " + day(credential.expiresAt)
                    + "; create a new key under Credentials and update the integration.");
        }
        if (!credential.whitelist().allows(presented.sourceIp())) {
            String from = presented.sourceIp() == null || presented.sourceIp().isBlank() ? "an unknown address" : printable(presented.sourceIp());
            return Verification.refused(VerificationCode.FORBIDDEN_IP, "Requests from " + from + " are not allowed with credential "
                    + credential.id + "; add the address to its IP whitelist under Credentials, or call from an allowed address.");
        }
        List<String> scopes = credential.scopeList();
        if (!Scopes.covers(scopes, presented.requiredScope())) {
            return Verification.refused(VerificationCode.INSUFFICIENT_SCOPE, "Credential " + credential.id + " lacks scope '"
                    + printable(presented.requiredScope()) + "' (it has " + scopes
                    + "); use a credential with that scope, or create one under Credentials.");
        }
        return new Verification(true, VerificationCode.VALID, "The credential is valid.", credential.id, credential.tenantId, scopes,
                earliest(credential.expiresAt, secret.validUntil));
    }

    static Verification keyNotFound() {
        return Verification.refused(VerificationCode.NOT_FOUND, "No credential matches this API key; check that it was "
                + "copied completely, or create a new key under Credentials and update the integration.");
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    private static Verification revoked(ApiCredential credential) {
        return Verification.refused(VerificationCode.REVOKED, "Credential " + credential.id + " was revoked on " + day(credential.revokedAt)
                + (credential.revokeReason == null ? "" : " (" + credential.revokeReason + ")")
                + "; create a new key under Credentials and update the integration.");
    }

    /** What is wrong with the signed request's fields, or null. */
    private static String malformed(PresentedCredential.Signed signed) {
        if (signed.signature() == null || signed.signature().isBlank()) {
            return "The signed request has no signature; send base64(HMAC-SHA256(SecretKey, canonical request)).";
        }
        try {
            Version.of(signed.version());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (signed.timestamp() == null || !TIMESTAMP.matcher(signed.timestamp()).matches()) {
            return "The timestamp must be the Unix time in seconds, e.g. " + Instant.now().getEpochSecond() + ".";
        }
        if (signed.nonce() == null || !NONCE.matcher(signed.nonce()).matches()) {
            return "The nonce must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-', fresh for every request.";
        }
        if (signed.method() == null || !signed.method().matches("[A-Za-z]{1,10}")) {
            return "The signed request must say its HTTP method, e.g. POST.";
        }
        if (signed.path() == null || !signed.path().startsWith("/") || signed.path().length() > 2000) {
            return "The signed request must say its path, starting with '/', e.g. /v1/keys.";
        }
        if (signed.query() != null && signed.query().length() > 4000) {
            return "The query string is longer than 4000 characters.";
        }
        if (signed.bodySha256() != null && !SHA256_HEX.matcher(signed.bodySha256()).matches()) {
            return "bodySha256 must be the SHA-256 of the request body as 64 hex digits.";
        }
        return null;
    }

    private static String day(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }

    private static String printable(String text) {
        if (text == null) {
            return "null";
        }
        String cut = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
