package io.keyfleet.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {

    @Test
    void liveAndTestKeysHaveTheirPrefixLengthAndAlphabet() {
        String live = ApiKeyFormat.generate(true);
        String test = ApiKeyFormat.generate(false);
        assertThat(live).startsWith("kf_live_").hasSize(54).matches("kf_live_[0-9A-Za-z]{46}");
        assertThat(test).startsWith("kf_test_").hasSize(54).matches("kf_test_[0-9A-Za-z]{46}");
        assertThat(ApiKeyFormat.isLive(live)).contains(true);
        assertThat(ApiKeyFormat.isLive(test)).contains(false);
        assertThat(ApiKeyFormat.displayPrefix(live)).hasSize(12).isEqualTo(live.substring(0, 12));
    }

    @Test
    void theChecksumIsCrc32OfPrefixAndBodyInBase62AsAScannerWouldRecomputeIt() {
        String key = ApiKeyFormat.generate(true);
        String head = key.substring(0, 48);
        CRC32 crc = new CRC32();
        crc.update(head.getBytes(StandardCharsets.US_ASCII));
        long decoded = 0;
        for (char c : key.substring(48).toCharArray()) {
            decoded = decoded * 62 + ApiKeyFormat.BASE62.indexOf(c);
        }
        assertThat(decoded).isEqualTo(crc.getValue());
        assertThat(ApiKeyFormat.isWellFormed(key)).isTrue();
    }

    @Test
    void aTypoOrAForeignPrefixOrWrongLengthIsNotWellFormed() {
        String key = ApiKeyFormat.generate(false);
        char changed = key.charAt(20) == 'a' ? 'b' : 'a';
        assertThat(ApiKeyFormat.isWellFormed(key.substring(0, 20) + changed + key.substring(21))).isFalse();
        assertThat(ApiKeyFormat.isWellFormed("kf_prod_" + key.substring(8))).isFalse();
        assertThat(ApiKeyFormat.isWellFormed(key + "x")).isFalse();
        assertThat(ApiKeyFormat.isWellFormed(key.substring(0, 53))).isFalse();
        assertThat(ApiKeyFormat.isWellFormed(key.substring(0, 30) + "-" + key.substring(31))).isFalse();
        assertThat(ApiKeyFormat.isWellFormed(null)).isFalse();
        assertThat(ApiKeyFormat.isWellFormed("")).isFalse();
    }

    @Test
    void keysAreRandom() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(ApiKeyFormat.generate(true))).isTrue();
        }
    }

    @Test
    void theChecksumIsPaddedToSixCharacters() {
        assertThat(ApiKeyFormat.checksum("")).isEqualTo("000000"); // CRC32 of nothing is 0
        assertThat(ApiKeyFormat.checksum("kf_live_x")).hasSize(6);
    }
}
