package io.keyfleet.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.cli.KeyServiceClient.KeyView;
import io.keyfleet.cli.KeyServiceClient.NewVersion;
import io.keyfleet.cli.KeyServiceClient.VersionView;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static io.keyfleet.cli.KeyServiceJson.FINGERPRINT;
import static io.keyfleet.cli.KeyServiceJson.KEY_ID;
import static io.keyfleet.cli.KeyServiceJson.PUBLIC_KEY_BASE64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyOutputTest {

    private static final String NL = System.lineSeparator();
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final ManagementAction.GenerateKey GENERATE = new ManagementAction.GenerateKey("alipay",
            "2021000000000001", "SANDBOX", Optional.empty(), Optional.empty());

    private static NewVersion newVersion(int version, String state) throws Exception {
        return JSON.readValue(KeyServiceJson.newVersion(version, state), NewVersion.class);
    }

    private static KeyView rotatedKey() throws Exception {
        return JSON.readValue(KeyServiceJson.rotatedKey(), KeyView.class);
    }

    @Test
    void generatedShowsIdVersionFingerprintAndTheBareBase64PublicKey() throws Exception {
        String text = KeyOutput.generated(GENERATE, newVersion(1, "CURRENT"), Optional.of(Path.of("/keys/app.pem")));
        assertEquals(String.join(NL,
                "Generated a key for alipay / app 2021000000000001 / sandbox.",
                "Key id:      " + KEY_ID,
                "Version:     1 (CURRENT)",
                "Algorithm:   RSA_2048",
                "Fingerprint: " + FINGERPRINT,
                "",
                "Public key (base64), paste it into alipay's console:",
                PUBLIC_KEY_BASE64,
                "",
                "Private key written to /keys/app.pem (readable only by you); key-service cannot show it again.",
                ""), text);
        assertFalse(text.contains("PRIVATE KEY"), "a private key written to a file is not printed too");
    }

    @Test
    void withoutAFileThePrivateKeyIsPrintedOnceAfterTheShownOnceLine() throws Exception {
        String text = KeyOutput.generated(GENERATE, newVersion(1, "CURRENT"), Optional.empty());
        String expectedEnd = NL + KeyOutput.PRIVATE_KEY_SHOWN_ONCE + NL
                + KeyServiceJson.PRIVATE_KEY_PEM.strip().replace("\n", NL) + NL;
        assertTrue(text.endsWith(expectedEnd), text);
        assertEquals(1, text.split("BEGIN PRIVATE KEY", -1).length - 1, "the private key appears once");
    }

    @Test
    void aNewVersionNeverShowsItsPrivateKeyInToString() throws Exception {
        String text = newVersion(2, "CURRENT").toString();
        assertFalse(text.contains("PRIVATE KEY") || text.contains("stubPrivateKey"), text);
        assertTrue(text.contains("privateKey=(hidden)"), text);
    }

    @Test
    void rotatedSaysUntilWhenTheOldVersionStaysValid() throws Exception {
        Optional<VersionView> replaced = KeyOutput.replacedVersion(rotatedKey(), 2);
        String text = KeyOutput.rotated(newVersion(2, "CURRENT"), replaced, Optional.of(Path.of("/keys/v2.pem")));
        assertTrue(text.startsWith("Rotated key " + KEY_ID + ": version 2 is CURRENT and signs from now on." + NL), text);
        assertTrue(text.contains(NL + PUBLIC_KEY_BASE64 + NL), text);
        assertTrue(text.contains("The old version 1 stays valid until 2026-05-04T10:15:30Z (PREVIOUS); update the "
                + "provider before then." + NL), text);

        String withoutGraceEnd = KeyOutput.rotated(newVersion(2, "CURRENT"), Optional.empty(), Optional.empty());
        assertTrue(withoutGraceEnd.contains("The old version stays valid for the key's grace period (./keyfleet keys "
                + "show " + KEY_ID + " tells until when)."), withoutGraceEnd);
    }

    @Test
    void theReplacedVersionIsTheNewestPreviousBelowTheNewOne() throws Exception {
        KeyView key = JSON.readValue("{\"keyId\":\"" + KEY_ID + "\",\"currentVersion\":4,\"versions\":["
                + KeyServiceJson.version(1, "RETIRED", "null", "null") + ","
                + KeyServiceJson.version(2, "PREVIOUS", "null", "\"2026-05-04T00:00:00Z\"") + ","
                + KeyServiceJson.version(3, "PREVIOUS", "null", "\"2026-05-05T00:00:00Z\"") + ","
                + KeyServiceJson.version(4, "CURRENT", "null", "null") + "]}", KeyView.class);
        assertEquals(3, KeyOutput.replacedVersion(key, 4).orElseThrow().version());
        assertEquals(Optional.empty(), KeyOutput.replacedVersion(key, 2));
    }

    @Test
    void stagedTellsHowToPromote() throws Exception {
        String text = KeyOutput.staged(newVersion(3, "PENDING"), "acme", Optional.empty());
        assertTrue(text.startsWith("Staged version 3 of key " + KEY_ID + " as PENDING: it does not sign until promoted."),
                text);
        assertTrue(text.contains("Once the provider has it: ./keyfleet keys promote " + KEY_ID + " 3 --tenant acme"),
                text);
        assertTrue(text.contains(KeyOutput.PRIVATE_KEY_SHOWN_ONCE), text);
    }

    @Test
    void promotedNamesTheOldVersionAndItsGraceEnd() throws Exception {
        assertEquals("Version 2 of key " + KEY_ID + " is CURRENT and signs from now on." + NL
                + "The old version 1 stays valid until 2026-05-04T10:15:30Z (PREVIOUS)." + NL,
                KeyOutput.promoted(rotatedKey(), 2));
    }

    @Test
    void listIsATableWithTheStatesOfEachKey() throws Exception {
        KeyView revoked = JSON.readValue("{\"keyId\":\"0b5e0000-0000-4000-8000-000000000001\",\"provider\":\"wechat\","
                + "\"appId\":\"wx1\",\"environment\":\"PRODUCTION\",\"algorithm\":\"EC_P256\",\"currentVersion\":1,"
                + "\"revokedAt\":\"2026-05-01T08:00:00.999Z\",\"versions\":["
                + KeyServiceJson.version(1, "RETIRED", "null", "null") + "]}", KeyView.class);
        String table = KeyOutput.keyList(List.of(rotatedKey(), revoked), "acme",
                new ManagementAction.ListKeys(Optional.empty(), Optional.empty(), Optional.empty()));
        assertEquals(String.join(NL,
                "KEY ID                                PROVIDER  APP               ENV         ALGORITHM  CURRENT  STATES",
                KEY_ID + "  alipay    2021000000000001  sandbox     RSA_2048   v2       v1 PREVIOUS, v2 CURRENT",
                "0b5e0000-0000-4000-8000-000000000001  wechat    wx1               production  EC_P256    v1       revoked "
                        + "2026-05-01T08:00:00Z",
                ""), table);
    }

    @Test
    void retiredVersionsAreOnlyCounted() throws Exception {
        KeyView key = JSON.readValue("{\"keyId\":\"" + KEY_ID + "\",\"currentVersion\":3,\"versions\":["
                + KeyServiceJson.version(3, "CURRENT", "null", "null") + ","
                + KeyServiceJson.version(1, "RETIRED", "null", "null") + ","
                + KeyServiceJson.version(2, "RETIRED", "null", "null") + ","
                + KeyServiceJson.version(4, "PENDING", "null", "null") + "]}", KeyView.class);
        assertEquals("2 RETIRED, v3 CURRENT, v4 PENDING", KeyOutput.states(key));
    }

    @Test
    void anEmptyListSaysSoWithTheFilters() {
        assertEquals("No keys for tenant acme." + NL, KeyOutput.keyList(List.of(), "acme",
                new ManagementAction.ListKeys(Optional.empty(), Optional.empty(), Optional.empty())));
        assertEquals("No keys for tenant acme with provider alipay, env sandbox." + NL, KeyOutput.keyList(List.of(),
                "acme", new ManagementAction.ListKeys(Optional.of("alipay"), Optional.empty(), Optional.of("SANDBOX"))));
    }

    @Test
    void showPrintsTheKeyAndAVersionsTable() throws Exception {
        String text = KeyOutput.keyDetails(rotatedKey());
        assertEquals(String.join(NL,
                "Key id:      " + KEY_ID,
                "Scope:       alipay / app 2021000000000001 / sandbox",
                "Algorithm:   RSA_2048 (origin GENERATED)",
                "Current:     version 2",
                "Policy:      grace period 24h, rotate after 365 days (warn 30 days before)",
                "Created:     2026-05-03T10:00:00Z",
                "",
                "VERSION  STATE     ALGORITHM  CAN SIGN  CREATED               PROMOTED              VALID UNTIL"
                        + "           RETIRED  FINGERPRINT",
                "1        PREVIOUS  RSA_2048   yes       2026-05-03T10:00:00Z  2026-05-03T10:00:00Z  "
                        + "2026-05-04T10:15:30Z  -        " + FINGERPRINT,
                "2        CURRENT   RSA_2048   yes       2026-05-03T10:00:00Z  2026-05-03T10:15:30Z  -"
                        + "                     -        " + FINGERPRINT,
                ""), text);
    }

    @Test
    void timesAreUtcToTheSecondAndDurationsShort() {
        assertEquals("2026-05-04T10:15:30Z", KeyOutput.time("2026-05-04T10:15:30.123456Z"));
        assertEquals("-", KeyOutput.time(null));
        assertEquals("yesterday", KeyOutput.time("yesterday"));
        assertEquals("24h", KeyOutput.duration("PT24H"));
        assertEquals("24h", KeyOutput.duration("86400.000000000"), "as key-service writes a Duration");
        assertEquals("1h 30m", KeyOutput.duration("5400"));
        assertEquals("soon", KeyOutput.duration("soon"));
        assertEquals("36h", KeyOutput.duration("PT36H"));
        assertEquals("3d 2h", KeyOutput.duration("P3DT2H"));
        assertEquals("0s", KeyOutput.duration("PT0S"));
        assertEquals("90d", KeyOutput.duration("P90D"));
        assertEquals("1h 30m", KeyOutput.duration("PT1H30M"));
    }

    @Test
    void tenantCreatedPointsAtTheFirstKey() {
        assertEquals("Created tenant acme (Acme Corp)." + NL
                        + "Next: ./keyfleet keys generate --tenant acme --provider PROVIDER --app APP_ID --env sandbox" + NL,
                KeyOutput.tenantCreated(new KeyServiceClient.TenantView("acme", "Acme Corp", "2026-05-03T10:00:00Z")));
    }
}
