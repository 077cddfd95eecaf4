package io.keyfleet.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The expected content of every golden file: fixed envelope fields and the payload record. */
final class Examples {

    static final String TENANT = "tnt_acme_payments";

    record Golden(UUID eventId, Instant occurredAt, DomainEvent payload) {
    }

    static final String KEY_ID = "key_8f3a61c2d94b";
    static final String APP_ID = "2021004112345678";
    static final String GRANT_ID = "grt_c41e7a0b5f";
    static final String MERCHANT_ID = "2088102180432711";
    static final String CREDENTIAL_ID = "cred_9d2e6b71a0";
    static final String POOL_ID = "5a7c1e93-0d42-4b86-9f31-e8b6d2a4c075";

    // real RSA-2048 public keys (SPKI DER, base64) and the SHA-256 hex of their DER
    static final String FINGERPRINT_V1 = "9819d31db45ab514927f443b21684c0882263e9ffafd0a3f054c8e4a04e3eb0f";
    static final String PUBLIC_KEY_V1 = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAyWlsKyMrrq6e2SaaIcE4LUeYsTmCouWI90X8MC8F2VvtvsYc0XMW3HDA28ukbLdJjls1gLDC3qFizbxHeuiLzJ6clfHvcJD5fCUs+HRPSmDrAJ+KoNMDun6eBw5tFQMbhJWK0oLO4k6nnGTJIGMd9DHGK2JjD+ugLRAC2YNyBgn9/bCxouNC4kgszUgAiisSjcJdWK29Rho7okoWiFXSaWsIpeSzsMU5222TPr/T+20rjGhYsDJatEFUfU2eLY1fl+QTl4hbw8NT4/WsLnVQqGs4JRbR/cYP5rHb76EdD+nPiDjNTt6D3dhj4tZCROM+xaFXD2L94X9y239V03ffKQIDAQAB";
    static final String FINGERPRINT_V2 = "59d14fe6d9617d6b218f7f6c1a96d6f25c232970e667b288caab9935b3f9e120";
    static final String PUBLIC_KEY_V2 = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAjDU0RFLCZ5xd/SyLTqI9yoFqrrrMhfEUZ2zYe24LqSQsQCR4aUallT+gW3jBtDwLt+cU8DiPgVzym2t9i4rkSChIvrzFNrAIC8I9ZZAoFlDkuNA6OK8o0N02qmIvRrVxM6kdVsC5gbP5M2sYUl0cb3pMmYsUO1CN6BmiMSwic8KxSohMG1xNrjMXtp+/2ful5iwpNn1zxuBMWNB7Fb3n7PeiRYKJF58lXpu7VfFFSJPn1vrllcuKbwQn6ixmcCq1xTh3L6hLhZAO2BJTM2HcjK1XnRxFM7mANuCtWXPH0z5LYuqtJNOpon8uBdfX5bAV5JWxtXr7/Dam4c6SU10xGQIDAQAB";
    static final String PROVIDER_FINGERPRINT = "8cf487ee957627df3d81062493e172484a7a69c65d7861e34b0248e6c1cae784";
    static final String PROVIDER_PUBLIC_KEY = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAmAAF2Fo1lZHBwMCXgKrSFyfRkqJp7IPH9UgC1N7AAtoREOFs2WbMQS6FFsGWMYCklHd9Xz/uPCA0bZDzHr/UbB+klRtKgSN7HKXBGuduqO52BssApHxsVUpHHkHGyzsi38cdLS90mEvKsOKsv+KbvR7cfWM07xqaW53tqO/5DuJGwtcnBQh06R5Vp+tejniFpuht85R1LZHYwgH74svTnJQiLsP8qx1FQlbTrv5JAr8xR5E0m0NhdbYz4fP58tZQceRmYIFIdfDGvmapbW4X+nO18bml+yGRyCbdh8cQ55eZ3vxlBYaixUuJwiNuXH4HFNMy0yyQJF3UU5FizCJRRwIDAQAB";

    static final Map<String, Golden> BY_TYPE = Map.ofEntries(
            golden("KeyCreated", "6f1c2a5e-3b7d-4e0a-9c42-8d5e1f7a2b90", "2026-03-14T09:26:53.589Z",
                    new KeyCreated(KEY_ID, "ALIPAY", APP_ID, "PRODUCTION", 1, "RSA_2048", FINGERPRINT_V1, PUBLIC_KEY_V1, true)),
            golden("KeyRotated", "a2d94c07-5e18-4f6b-b3a1-0c7e92d4f516", "2026-03-14T09:30:00.125Z",
                    new KeyRotated(KEY_ID, "ALIPAY", APP_ID, "PRODUCTION", 1, 2, "RSA_2048", FINGERPRINT_V2, PUBLIC_KEY_V2,
                            Instant.parse("2026-03-21T09:30:00Z"))),
            golden("KeyRevoked", "c5e80b3f-7a21-4d9c-8f06-4b1e3a7d9c28", "2026-03-21T09:30:02.004Z",
                    new KeyRevoked(KEY_ID, 1, "grace period after rotation ended")),
            golden("KeyExpiring", "1e7b4f92-c06d-4a38-95e2-7f3c8a1b6d45", "2026-03-20T09:30:00.000001Z",
                    new KeyExpiring(KEY_ID, 1, Instant.parse("2026-03-21T09:30:00Z"))),
            golden("ProviderKeyUpdated", "8b3f6d21-94ae-4c57-a0d8-2e5f1b7c3a69", "2026-03-14T10:02:41.730Z",
                    new ProviderKeyUpdated("pk_alipay_prod_5d21", "ALIPAY", "PRODUCTION", 2, PROVIDER_FINGERPRINT,
                            PROVIDER_PUBLIC_KEY, 1, Instant.parse("2026-03-15T10:02:41Z"))),
            golden("TokenRefreshed", "d4a19e6c-2f80-4b3d-9e75-6c0b8f2a1d37", "2026-03-14T11:00:07.318Z",
                    new TokenRefreshed(GRANT_ID, "ALIPAY", APP_ID, MERCHANT_ID, 7,
                            Instant.parse("2026-03-15T11:00:07Z"), Instant.parse("2026-04-13T11:00:07Z"))),
            golden("TokenRefreshFailed", "3c8e5a17-b94f-4e26-8d01-9a6f2c4e7b53", "2026-03-14T11:00:09.902Z",
                    new TokenRefreshFailed(GRANT_ID, "ALIPAY", APP_ID, MERCHANT_ID, 3, "token endpoint answered HTTP 503",
                            true, Instant.parse("2026-03-14T11:04:09Z"))),
            golden("GrantRevoked", "9f2b7c40-6e1a-4d85-b7c3-5a0e8d1f4c62", "2026-03-16T08:15:44.051Z",
                    new GrantRevoked(GRANT_ID, "merchant withdrew the authorization")),
            golden("TokenIssued", "5b7e2d14-0a93-4c6f-8e21-d3f9a06b4c58", "2026-03-14T10:59:58.412Z",
                    new TokenIssued(GRANT_ID, "ALIPAY", APP_ID, "PRODUCTION", MERCHANT_ID, 1,
                            Instant.parse("2026-03-15T10:59:58Z"), Instant.parse("2026-04-14T10:59:58Z"))),
            golden("TokenRevoked", "e83a5c09-7d2b-4f16-a4e0-61c8b9d2f735", "2026-03-16T08:15:44.090Z",
                    new TokenRevoked(GRANT_ID, "ALIPAY", APP_ID, MERCHANT_ID, 7, "the authorization code was presented twice")),
            golden("CredentialCreated", "e7c03a58-1d4b-4f92-a6e0-3b8d5c9f2a14", "2026-03-14T12:40:18.466Z",
                    new CredentialCreated(CREDENTIAL_ID, "SECRET_PAIR", List.of("keys:read", "signing:sign"))),
            golden("CredentialRotated", "52d8f1a3-0c6e-4b79-9d24-e1a7b3c5f086", "2026-03-28T12:40:18.466Z",
                    new CredentialRotated(CREDENTIAL_ID, 2, Instant.parse("2026-03-29T12:40:18Z"))),
            golden("CredentialRevoked", "b06e4d92-8a3c-4e15-bf70-2d9c6a8e1f37", "2026-04-02T07:05:30.200Z",
                    new CredentialRevoked(CREDENTIAL_ID, "revoked by tenant admin")),
            golden("CredentialUpdated", "0d6f3b92-7a14-4c8e-b5d1-9e2a6c4f8b30", "2026-04-01T09:12:00.250Z",
                    new CredentialUpdated(CREDENTIAL_ID, false)),
            golden("CredentialExpiring", "6a1e9c47-3b52-4d08-8f6a-c2d7e0b5a913", "2026-09-01T00:00:05.120Z",
                    new CredentialExpiring(CREDENTIAL_ID, 1, Instant.parse("2026-10-01T00:00:00Z"), 30,
                            "The key expires on 2026-10-01; create a new key under Credentials and update the integration.")),
            golden("PoolSecretRotated", "4e8b2f15-6c37-4a90-b1d2-7f3e9a5c0d68", "2026-05-02T16:20:03.512Z",
                    new PoolSecretRotated(POOL_ID, 1, 2)),
            golden("PoolSecretDestroyed", "9c3d7a40-2e61-4b5f-8d19-a0f6e2b47c35", "2026-05-02T16:20:03.790Z",
                    new PoolSecretDestroyed(POOL_ID, 1)),
            // resource pools (sync-service)
            golden("SyncCompleted", "3f9a2c71-5d84-4e0b-9c16-a7e2d4b8f051", "2026-05-03T02:00:41.318Z",
                    new SyncCompleted(POOL_ID, "7b1e4d90-2a6c-4f38-8e05-c9d3a1f6b724", "PARTIAL", List.of(
                            new SyncCompleted.ItemCounts("zones", "SUCCEEDED", 12, 0, 0, 0),
                            new SyncCompleted.ItemCounts("cloud-server-lines", "PARTIAL", 19800, 3, 5, 2)),
                            "cloud-server-lines: page 7 failed after 5 attempts: The platform answered HTTP 502.")),
            golden("PoolHealthChanged", "c2e85b13-9f47-4a6d-b0e8-1d5f7a3c9e62", "2026-05-03T01:58:12.004Z",
                    new PoolHealthChanged(POOL_ID, "HEALTHY", "AUTH_FAILED",
                            "The platform refused the credentials (SIGNATURE_INVALID): check the member id and API secret.")),
            golden("PriceProtectionTriggered", "8d04f6a2-1b3e-4c97-a5d8-6e2f0b9c7a41", "2026-05-03T02:00:40.977Z",
                    new PriceProtectionTriggered(POOL_ID, "cloud-server-lines", "cs-0000042", "51.2000", "49.9000")));

    private Examples() {
    }

    private static Map.Entry<String, Golden> golden(String type, String eventId, String occurredAt, DomainEvent payload) {
        return Map.entry(type, new Golden(UUID.fromString(eventId), Instant.parse(occurredAt), payload));
    }

    static String goldenPath(EventType type) {
        return "golden/" + type.name() + ".v" + type.schemaVersion() + ".json";
    }
}
