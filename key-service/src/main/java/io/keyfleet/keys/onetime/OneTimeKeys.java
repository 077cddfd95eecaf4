package io.keyfleet.keys.onetime;

import io.keyfleet.keys.audit.AuditLog;
import io.keyfleet.keys.material.KeyAlgorithm;
import io.keyfleet.keys.material.KeyMaterial;
import io.keyfleet.keys.material.KeyPairFactory;
import io.keyfleet.keys.secret.SecretNotFoundException;
import io.keyfleet.keys.secret.SecretStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One-time RSA-2048 keys for encrypting one password ({@code applyPublicKey}).
 *
 * <h2>Issuing</h2>
 * Each key pair is taken from {@link KeyPairFactory#generate(KeyAlgorithm) KeyPairFactory}'s pool of pre-generated
 * RSA-2048 pairs ({@code keyfleet.keys.pool.size}, refilled in the background by one low-priority thread). When the
 * pool runs dry — a burst larger than the pool, faster than the refill thread's ~100 ms per pair — the pair is
 * generated inline on the request thread instead: nothing fails, but that call's latency goes up to about
 * 70–150 ms (counted in the {@code keyfleet.keys.pool.misses} metric). The private half (PKCS#8) goes into the
 * {@link SecretStore} at {@code onetime/<uniqueId>} version 1, never in clear, together with a
 * {@code one_time_key} row in the same transaction; the key expires after {@code keyfleet.onetime.lifetime}
 * (default 10 minutes).
 *
 * <h2>What the client encrypts (padding and salt binding)</h2>
 * The client encrypts the UTF-8 bytes of {@code salt + password} — the salt string exactly as returned (base64 text),
 * immediately followed by the password — with the returned public key (base64 X.509 SubjectPublicKeyInfo) using
 * {@code RSA/ECB/OAEPWithSHA-256AndMGF1Padding}, and sends the ciphertext base64-encoded. In the JDK that
 * transformation means OAEP with SHA-256 as the digest and MGF1 with SHA-1, and an empty label; that is what we try
 * first. Clients whose libraries use MGF1 with SHA-256 (WebCrypto, OpenSSL with {@code rsa_mgf1_md:sha256}) are
 * accepted too: we try that second. The decrypted plaintext must start with the key's salt (compared in constant
 * time); the salt is stripped and the rest is the password. RSA-2048 with OAEP-SHA-256 holds at most 190 bytes, so
 * the password may be up to 166 UTF-8 bytes with the 24-character salt.
 *
 * <h2>Decrypting exactly once</h2>
 * The row is locked ({@code SELECT … FOR UPDATE}) for the whole decrypt; the private half is destroyed and the row
 * marked in the same transaction, so of two concurrent decrypts exactly one can succeed. A failed decrypt (wrong
 * salt, corrupted ciphertext, wrong key) burns the key as well (state {@code FAILED}): a key that can be asked again
 * and again would be a padding oracle, and a client that got it wrong simply applies for a new key. An expired key
 * is destroyed when it is presented (and by {@link OneTimeKeyCleanup} otherwise). Every decrypt is audited with the
 * unique id HMAC'd; refusals through {@link AuditLog#recordRefusal}. The password is never logged.
 */
@ApplicationScoped
public class OneTimeKeys {

    static final String TRANSFORMATION = "RSA/ECB/OAEPWithSHA-256AndMGF1Padding";
    /** The JDK's meaning of {@link #TRANSFORMATION}: SHA-256 digest, MGF1 with SHA-1. */
    static final OAEPParameterSpec JDK_OAEP = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);
    /** SHA-256 for the digest and MGF1 (WebCrypto, OpenSSL with rsa_mgf1_md:sha256). */
    static final OAEPParameterSpec SHA256_OAEP = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

    static final String ACTION = "onetime.decrypt";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    KeyPairFactory keyPairFactory;

    @Inject
    SecretStore secretStore;

    @Inject
    AuditLog auditLog;

    @ConfigProperty(name = "keyfleet.onetime.lifetime", defaultValue = "PT10M")
    Duration lifetime;

    public record Issued(String uniqueId, String salt, String publicKey) {
    }

    /** Why a decrypt did not return a password. */
    public enum Refusal {
        NOT_FOUND, USED, EXPIRED, DECRYPT_FAILED
    }

    /** Either a password (caller wipes it) or a refusal with a detail fit for the caller (never the password). */
    public record Outcome(char[] password, Refusal refusal, String detail) {
    }

    public Issued issue(String tenantId, String customerIdOrNull) {
        KeyMaterial pair = keyPairFactory.generate(KeyAlgorithm.RSA_2048);
        String uniqueId = randomBase64Url(16);
        String salt = Base64.getEncoder().encodeToString(randomBytes(16));
        byte[] pkcs8 = pair.privateKeyPkcs8().orElseThrow(() -> new IllegalStateException("generated pair without private key"));
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                // the secret first: with the vault adapter (which cannot join the transaction) a row never points nowhere
                secretStore.put(OneTimeKey.secretPath(uniqueId), 1, pkcs8);
                OneTimeKey row = new OneTimeKey();
                row.uniqueId = uniqueId;
                row.tenantId = tenantId;
                row.customerId = customerIdOrNull;
                row.salt = salt;
                row.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                row.expiresAt = row.createdAt.plus(lifetime);
                row.state = OneTimeKey.State.ISSUED;
                row.persist();
            });
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        return new Issued(uniqueId, salt, pair.publicKeyBase64());
    }

    public Outcome decrypt(String tenantId, String uniqueId, byte[] ciphertext) {
        return QuarkusTransaction.requiringNew().call(() -> {
            OneTimeKey key = OneTimeKey.findById(uniqueId, LockModeType.PESSIMISTIC_WRITE);
            if (key == null || !tenantId.equals(key.tenantId)) {
                return refuse(tenantId, uniqueId, Refusal.NOT_FOUND, "No one-time key '" + uniqueId + "'; apply for a public key first.");
            }
            Instant now = Instant.now();
            switch (key.state) {
                case USED -> {
                    return refuse(tenantId, uniqueId, Refusal.USED, "One-time key '" + uniqueId + "' already decrypted its"
                            + " one ciphertext at " + key.usedAt + "; apply for a new public key.");
                }
                case FAILED -> {
                    return refuse(tenantId, uniqueId, Refusal.USED, "One-time key '" + uniqueId + "' was burnt by a failed"
                            + " decrypt at " + key.usedAt + "; apply for a new public key.");
                }
                case EXPIRED -> {
                    return refuse(tenantId, uniqueId, Refusal.EXPIRED, expiredDetail(key));
                }
                case ISSUED -> {
                    if (!key.expiresAt.isAfter(now)) {
                        burn(key, OneTimeKey.State.EXPIRED, null);
                        return refuse(tenantId, uniqueId, Refusal.EXPIRED, expiredDetail(key));
                    }
                }
            }
            byte[] pkcs8;
            try {
                pkcs8 = secretStore.get(key.secretPath(), 1);
            } catch (SecretNotFoundException e) {
                // the row said ISSUED but the material is gone: treat as used, never as a server fault
                burn(key, OneTimeKey.State.FAILED, now);
                return refuse(tenantId, uniqueId, Refusal.USED, "One-time key '" + uniqueId + "' has no private key any more;"
                        + " apply for a new public key.");
            }
            char[] password = open(pkcs8, ciphertext, key.salt);
            if (password == null) {
                burn(key, OneTimeKey.State.FAILED, now);
                return refuse(tenantId, uniqueId, Refusal.DECRYPT_FAILED, "The ciphertext does not decrypt with one-time key '"
                        + uniqueId + "' and its salt (" + TRANSFORMATION + " over salt + password, base64);"
                        + " the key is burnt now, apply for a new public key.");
            }
            burn(key, OneTimeKey.State.USED, now);
            auditLog.record(ACTION, tenantId, uniqueId, "OK", null);
            return new Outcome(password, null, null);
        });
    }

    /**
     * Destroys up to {@code limit} expired unused keys, skipping rows another transaction holds (a decrypt in
     * progress, another replica's cleanup). Returns how many were destroyed.
     */
    public int destroyExpired(int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            java.util.List<String> ids = OneTimeKey.getEntityManager().createNativeQuery("""
                    select unique_id from one_time_key where state = 'ISSUED' and expires_at <= now()
                    order by expires_at limit ?1 for update skip locked""").setParameter(1, limit).getResultList();
            for (String id : ids) {
                OneTimeKey key = OneTimeKey.findById(id);
                burn(key, OneTimeKey.State.EXPIRED, null);
            }
            return ids.size();
        });
    }

    private void burn(OneTimeKey key, OneTimeKey.State state, Instant usedAt) {
        secretStore.destroy(key.secretPath(), 1);
        key.state = state;
        key.usedAt = usedAt == null ? null : usedAt.truncatedTo(ChronoUnit.MICROS);
    }

    private Outcome refuse(String tenantId, String uniqueId, Refusal refusal, String detail) {
        auditLog.recordRefusal(ACTION, tenantId, uniqueId, refusal.name());
        return new Outcome(null, refusal, detail);
    }

    private static String expiredDetail(OneTimeKey key) {
        return "One-time key '" + key.uniqueId + "' expired at " + key.expiresAt + " unused; apply for a new public key.";
    }

    /** The password, or null if the ciphertext does not decrypt under either OAEP variant or lacks the salt prefix. */
    static char[] open(byte[] pkcs8, byte[] ciphertext, String salt) {
        PrivateKey privateKey;
        try {
            privateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored one-time key material is not an RSA private key");
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        byte[] plain = oaepDecrypt(privateKey, ciphertext, JDK_OAEP);
        if (plain == null) {
            plain = oaepDecrypt(privateKey, ciphertext, SHA256_OAEP);
        }
        if (plain == null) {
            return null;
        }
        try {
            byte[] saltBytes = salt.getBytes(StandardCharsets.UTF_8);
            if (plain.length < saltBytes.length
                    || !MessageDigest.isEqual(Arrays.copyOf(plain, saltBytes.length), saltBytes)) {
                return null;
            }
            java.nio.CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(plain, saltBytes.length, plain.length - saltBytes.length));
            char[] password = new char[chars.remaining()];
            chars.get(password);
            Arrays.fill(chars.array(), '\0');
            return password;
        } catch (java.nio.charset.CharacterCodingException e) {
            return null; // not UTF-8: not a password this API handed a key for
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static byte[] oaepDecrypt(PrivateKey key, byte[] ciphertext, OAEPParameterSpec spec) {
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, spec);
            return cipher.doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String randomBase64Url(int n) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(n));
    }
}
