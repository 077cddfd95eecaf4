package io.keyfleet.keys.material;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever is pasted, the import methods either return a key or throw InvalidKeyMaterialException, and
 * the message never repeats more than 20 characters of the input. A plain seeded generator; the seed is in every
 * failure message so a failing run can be replayed with -Dkeyfleet.fuzz.seed=...
 */
class KeyImportFuzzTest {

    private static final int CASES = 2_000;
    private static final KeyPair RSA = TestKeys.rsa(2048);
    private static final KeyPair EC = TestKeys.ec("secp256r1");
    private static final List<String> REAL = List.of(TestKeys.spkiPem(RSA), TestKeys.pkcs8Pem(RSA),
            TestKeys.pkcs1PrivatePem(RSA), TestKeys.spkiBase64(RSA), TestKeys.sec1Pem(EC), TestKeys.spkiPem(EC),
            TestKeys.selfSignedCertificatePem(RSA), TestKeys.encryptedPkcs8Pem(EC));
    private static final List<String> LABELS = List.of("PUBLIC KEY", "PRIVATE KEY", "RSA PRIVATE KEY", "RSA PUBLIC KEY",
            "EC PRIVATE KEY", "CERTIFICATE", "ENCRYPTED PRIVATE KEY", "EC PARAMETERS", "OPENSSH PRIVATE KEY", "FOO");
    private static final List<String> EDGES = List.of("", " ", "\n", "\0", "=", "====", "A", "AAAA", "-----BEGIN",
            "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----", "-----BEGIN PUBLIC KEY-----\n\n-----END PUBLIC KEY-----",
            "MA==", "MAA=", "BQA=", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A", "ssh-", "\\n\\n", "\uD800", "测试");
    private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/=]{21,}");

    @Test
    void anythingPastedFailsOnlyWithInvalidKeyMaterialAndIsNeverEchoed() {
        long seed = Long.getLong("keyfleet.fuzz.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        List<String> inputs = new ArrayList<>(EDGES);
        while (inputs.size() < CASES) {
            inputs.add(pasted(random));
        }
        for (int i = 0; i < inputs.size(); i++) {
            String input = inputs.get(i);
            String where = "seed " + seed + ", case " + i;
            attempt(() -> KeyImport.importPublicKey(input), input, where);
            attempt(() -> KeyImport.importPair(input, null), input, where);
            attempt(() -> KeyImport.importPair(input, input), input, where);
            attempt(() -> KeyImport.importPair(REAL.get(1), input), input, where);
        }
    }

    private static void attempt(Runnable importing, String input, String where) {
        try {
            importing.run();
        } catch (InvalidKeyMaterialException e) {
            String detail = e.problem().detail();
            assertThat(e.problem().status()).as(where).isIn(400, 422);
            if (input.strip().length() > 20) {
                assertThat(detail).as(where).doesNotContain(input.strip());
            }
            Matcher runs = BASE64_RUN.matcher(input);
            while (runs.find()) {
                String run = runs.group();
                for (int i = 0; i + 21 <= run.length(); i++) {
                    assertThat(detail).as(where).doesNotContain(run.substring(i, i + 21));
                }
            }
        } catch (RuntimeException | Error e) {
            fail(where + ": " + e + " for input of " + input.length() + " chars", e);
        }
    }

    private static String pasted(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> text(random, random.nextInt(40));
            case 1 -> text(random, random.nextInt(3000));
            case 2 -> base64(random);
            case 3 -> {
                String label = LABELS.get(random.nextInt(LABELS.size()));
                yield "-----BEGIN " + label + "-----\n" + base64(random) + "\n-----END " + label + "-----\n";
            }
            case 4 -> damaged(random, REAL.get(random.nextInt(REAL.size())));
            default -> derDamaged(random);
        };
    }

    /** Bytes of a real key's DER flipped: tags and lengths go wrong in ways base64 damage rarely reaches. */
    private static String derDamaged(SplittableRandom random) {
        String key = REAL.get(random.nextInt(REAL.size()));
        Matcher block = Pattern.compile("-----BEGIN ([A-Z ]+)-----(.*?)-----END", Pattern.DOTALL).matcher(key);
        String label = block.find() ? block.group(1) : null;
        byte[] der = Base64.getMimeDecoder().decode(label == null ? key : block.group(2));
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
            int at = random.nextInt(Math.min(der.length, random.nextBoolean() ? 40 : der.length));
            der[at] = (byte) random.nextInt(256);
        }
        String base64 = Base64.getEncoder().encodeToString(der);
        return label == null ? base64 : TestKeys.pem(label, der);
    }

    /** Any code points: ASCII, controls, CJK, lone surrogates, supplementary planes. */
    private static String text(SplittableRandom random, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(4)) {
                case 0 -> sb.append((char) random.nextInt(0x20, 0x7f));
                case 1 -> sb.append((char) random.nextInt(0, 0x20));
                case 2 -> sb.append((char) random.nextInt(0x80, 0xffff));
                default -> sb.appendCodePoint(random.nextInt(0x10000, 0x10ffff));
            }
        }
        return sb.toString();
    }

    private static String base64(SplittableRandom random) {
        byte[] bytes = new byte[random.nextInt(600)];
        random.nextBytes(bytes);
        if (bytes.length > 2 && random.nextBoolean()) {
            bytes[0] = 0x30; // looks like a SEQUENCE
        }
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String damaged(SplittableRandom random, String key) {
        int at = random.nextInt(key.length() + 1);
        return switch (random.nextInt(3)) {
            case 0 -> key.substring(0, at); // cut off
            case 1 -> key.substring(0, at) + (char) random.nextInt(0x20, 0x7f)
                    + key.substring(Math.min(key.length(), at + 1)); // one character changed
            default -> key.substring(0, at) + key.substring(Math.min(key.length(), at + 4)); // a piece lost
        };
    }
}
