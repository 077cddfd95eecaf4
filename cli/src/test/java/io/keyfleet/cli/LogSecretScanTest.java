package io.keyfleet.cli;

import io.keyfleet.launcher.LocalSecrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSecretScanTest {

    private static final String API_KEY = "kf_live_7Qy0aZ0k3qTestKeyForTheLogScanOnly000000abcdef";

    @Test
    void findsEachFormASecretTakesInALogAndNamesItWithoutShowingIt(@TempDir Path directory) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        byte[] privateKey = generator.generateKeyPair().getPrivate().getEncoded();
        String base64 = Base64.getEncoder().encodeToString(privateKey);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(privateKey)
                + "\n-----END PRIVATE KEY-----\n";
        Map<String, String> secrets = Map.of("a private key", pem, "an API key", API_KEY);

        Path clean = directory.resolve("clean.log");
        Files.writeString(clean, "{\"level\":\"INFO\",\"message\":\"Created key 42 for tenant acme\"}\n"
                + "{\"level\":\"INFO\",\"message\":\"Caller kf_live_7Qy0… refused\"}\n");
        assertTrue(LogSecretScan.scan(secrets, List.of(clean)).isEmpty());

        Path json = directory.resolve("json.log");
        Files.writeString(json, "{\"message\":\"answer " + pem.replace("\n", "\\n") + "\"}\n");
        Path bare = directory.resolve("bare.log");
        Files.writeString(bare, "line one\nimport failed for " + base64.substring(300, 500) + " (truncated)\n");
        Path hex = directory.resolve("hex.log");
        Files.writeString(hex, "bytes: " + HexFormat.of().formatHex(privateKey) + "\n");
        Path key = directory.resolve("key.log");
        Files.writeString(key, "x\ny\nAuthorization: Bearer " + API_KEY + "\n");

        List<LogSecretScan.Finding> findings = LogSecretScan.scan(secrets, List.of(clean, json, bare, hex, key));
        assertEquals(List.of(new LogSecretScan.Finding(json, 1, "a private key"), new LogSecretScan.Finding(bare, 2, "a private key"),
                new LogSecretScan.Finding(hex, 1, "a private key"), new LogSecretScan.Finding(key, 3, "an API key")), findings);
        findings.forEach(finding -> assertFalse(finding.toString().contains(API_KEY.substring(10))
                || finding.toString().contains(base64.substring(100, 140)), finding.toString()));
    }

    @Test
    void shortValuesAreNotLookedFor() {
        assertTrue(LogSecretScan.needles("short").isEmpty());
        assertEquals(List.of(API_KEY), List.copyOf(LogSecretScan.needles(API_KEY)));
    }

    @Test
    void theSuiteKeepsItsSecretsWhereTheCheckReadsThem(@TempDir Path data) throws Exception {
        LocalSecrets.Values values = new LocalSecrets(data).ensure(notice -> { });
        Files.writeString(values.adminKeyFile(), API_KEY + "\n");
        Map<String, String> kept = SuiteLogSecrets.kept(data);
        assertEquals(API_KEY, kept.get("the admin API key"));
        assertEquals(values.auditKey(), kept.get("the audit HMAC key"));
        values.serviceKeys().forEach((service, serviceKey) -> assertEquals(serviceKey, kept.get("the API key of " + service)));
        assertTrue(kept.containsKey("master key 1"), kept.keySet().toString());
    }
}
