package io.keyfleet.signing.signature;

import io.keyfleet.keys.api.AppSecretType;
import io.keyfleet.keys.api.Environment;
import io.keyfleet.keys.stub.KeyServiceStub;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * key-service for signing-service's tests: key-service-api's {@link KeyServiceStub} on real HTTP, which the key cache reaches
 * through its typed clients as it reaches key-service. Requests without signing-service's service key are refused, as
 * key-service does. Tests can stop and restart it, and set what it holds through the static methods here.
 */
public class StubbedKeyService implements QuarkusTestResourceLifecycleManager {

    public static final String SERVICE_KEY = "kf_test_signing-service-key";

    static final KeyServiceStub STUB = new KeyServiceStub();

    @Override
    public Map<String, String> start() {
        STUB.serve(SERVICE_KEY, 0);
        return Map.of("quarkus.rest-client.key-service.url", STUB.url(), "keyfleet.auth.service-api-key", SERVICE_KEY);
    }

    @Override
    public void stop() {
        STUB.close();
    }

    static void stopServer() {
        STUB.stop();
    }

    static void restartServer() {
        STUB.restart();
    }

    /** A new CURRENT version of a key, as a rotation makes it: the key's CURRENT version becomes PREVIOUS for an hour. */
    public static void add(String keyId, String tenantId, String provider, String appId, String environment, int version, KeyPair pair) {
        STUB.addKeyVersion(UUID.fromString(keyId), tenantId, provider, appId, Environment.valueOf(environment), version, pair);
    }

    /** A new CURRENT version of an app secret, as a rotation makes it: the CURRENT one becomes PREVIOUS for {@code grace}. */
    public static void addSecret(String secretId, String tenantId, String provider, String appId, String environment, String type,
                                 int version, byte[] secret, Duration grace) {
        STUB.addSecretVersion(UUID.fromString(secretId), tenantId, provider, appId, Environment.valueOf(environment),
                AppSecretType.valueOf(type), version, secret, grace);
    }

    /** Ends a PREVIOUS version of an app secret, as key-service's revoke does. */
    public static void retireSecretVersion(String secretId, int version) {
        STUB.retireSecretVersion(UUID.fromString(secretId), version);
    }

    /** Revokes the whole key, as key-service does: every version RETIRED. */
    public static void revoke(String keyId) {
        STUB.revokeKey(UUID.fromString(keyId));
    }

    /** A new CURRENT version of a provider's public key; the CURRENT one becomes PREVIOUS for an hour. */
    static void addProviderKey(String providerKeyId, String tenantId, String provider, String environment, int version, KeyPair pair) {
        STUB.addProviderKeyVersion(UUID.fromString(providerKeyId), tenantId, provider, Environment.valueOf(environment), version, pair);
    }

    static void putProviderCertificates(String tenantId, String provider, String environment, String certificatePem, String rootPem) {
        STUB.putProviderCertificates(tenantId, provider, Environment.valueOf(environment), certificatePem, rootPem);
    }

    static void putAppCertificate(String keyId, int keyVersion, String certificatePem) {
        STUB.putAppCertificate(UUID.fromString(keyId), keyVersion, certificatePem);
    }

    public static String fingerprint(KeyPair pair) {
        return KeyServiceStub.fingerprint(pair);
    }

    public static String publicKey(KeyPair pair) {
        return KeyServiceStub.publicKey(pair);
    }

    public static KeyPair rsa() {
        return KeyServiceStub.rsa();
    }
}
