package io.keyfleet.keys.material;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.KeyPair;
import java.util.Base64;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class KeyImportTest {

    private static final KeyPair RSA = TestKeys.rsa(2048);
    private static final KeyPair OTHER_RSA = TestKeys.rsa(2048);
    private static final KeyPair EC = TestKeys.ec("secp256r1");

    @Test
    void pkcs8PairWithPemOrBase64PublicKey() {
        KeyMaterial fromPem = KeyImport.importPair(TestKeys.pkcs8Pem(RSA), TestKeys.spkiPem(RSA));
        KeyMaterial fromBase64 = KeyImport.importPair(TestKeys.pkcs8Pem(RSA), TestKeys.spkiBase64(RSA));

        assertThat(fromPem.algorithm()).isEqualTo(KeyAlgorithm.RSA_2048);
        assertThat(fromPem.canSign()).isTrue();
        assertThat(fromPem.publicKey().getEncoded()).isEqualTo(RSA.getPublic().getEncoded());
        assertThat(fromPem.privateKeyPkcs8().orElseThrow()).isEqualTo(RSA.getPrivate().getEncoded());
        assertThat(fromBase64.fingerprint()).isEqualTo(fromPem.fingerprint());
    }

    @Test
    void pkcs1PairAndPkcs1PublicKey() {
        String pkcs1 = TestKeys.pkcs1PrivatePem(RSA);
        assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        KeyMaterial pair = KeyImport.importPair(pkcs1, TestKeys.pkcs1PublicPem(RSA));

        assertThat(pair.publicKey().getEncoded()).isEqualTo(RSA.getPublic().getEncoded());
        assertThat(pair.privateKeyPem().orElseThrow()).isEqualTo(TestKeys.pkcs8Pem(RSA)); // handed back as PKCS#8
        assertThat(KeyImport.importPair(TestKeys.traditionalPem(RSA.getPrivate()), null).fingerprint())
                .isEqualTo(pair.fingerprint());
        assertThat(KeyImport.importPublicKey(TestKeys.pkcs1PublicPem(RSA)).fingerprint()).isEqualTo(pair.fingerprint());
    }

    @Test
    void ecSec1AndPkcs8AndEd25519() {
        String sec1 = TestKeys.sec1Pem(EC);
        assertThat(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----");
        KeyMaterial ec = KeyImport.importPair("-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + sec1, TestKeys.spkiPem(EC));
        assertThat(ec.algorithm()).isEqualTo(KeyAlgorithm.EC_P256);
        assertThat(ec.publicKey().getEncoded()).isEqualTo(EC.getPublic().getEncoded());
        assertThat(KeyImport.importPair(TestKeys.pkcs8Pem(EC), null).fingerprint()).isEqualTo(ec.fingerprint());

        KeyPair ed = TestKeys.generate("Ed25519", 255);
        KeyMaterial edMaterial = KeyImport.importPair(TestKeys.pkcs8Pem(ed), TestKeys.spkiBase64(ed));
        assertThat(edMaterial.algorithm()).isEqualTo(KeyAlgorithm.ED25519);
        assertThat(edMaterial.publicKey().getEncoded()).isEqualTo(ed.getPublic().getEncoded());
    }

    @Test
    void sizesAreRecognised() {
        assertThat(KeyImport.importPublicKey(TestKeys.spkiPem(TestKeys.rsa(3072))).algorithm()).isEqualTo(KeyAlgorithm.RSA_3072);
        assertThat(KeyImport.importPublicKey(TestKeys.spkiPem(TestKeys.rsa(4096))).algorithm()).isEqualTo(KeyAlgorithm.RSA_4096);
    }

    @Test
    void pastedTextIsTolerated() {
        String fingerprint = KeyImport.importPublicKey(TestKeys.spkiPem(RSA)).fingerprint();
        String base64 = TestKeys.spkiBase64(RSA);
        String wrapped = Base64.getMimeEncoder(76, "\r\n".getBytes()).encodeToString(RSA.getPublic().getEncoded());

        assertThat(KeyImport.importPublicKey("  \n" + wrapped + "\n\n").fingerprint()).isEqualTo(fingerprint);
        assertThat(KeyImport.importPublicKey(base64.substring(0, 100) + " \t " + base64.substring(100)).fingerprint())
                .isEqualTo(fingerprint);
        // one line, as some web forms collapse it; and copied out of a JSON string
        assertThat(KeyImport.importPublicKey(TestKeys.spkiPem(RSA).replace('\n', ' ')).fingerprint()).isEqualTo(fingerprint);
        assertThat(KeyImport.importPublicKey(TestKeys.spkiPem(RSA).replace("\n", "\\n")).fingerprint()).isEqualTo(fingerprint);
        assertThat(KeyImport.importPublicKey(TestKeys.spkiPem(RSA).replace("\n", "\r\n")).fingerprint()).isEqualTo(fingerprint);
        assertThat(KeyImport.importPublicKey("Public key of app 2021:\n" + TestKeys.spkiPem(RSA) + "thanks").fingerprint())
                .isEqualTo(fingerprint);
    }

    @Test
    void mismatchedPair() {
        var e = invalid(() -> KeyImport.importPair(TestKeys.pkcs8Pem(RSA), TestKeys.spkiPem(OTHER_RSA)));
        assertThat(e.code()).isEqualTo("KEY_MISMATCH");
        assertThat(e.problem().status()).isEqualTo(422);

        var kinds = invalid(() -> KeyImport.importPair(TestKeys.pkcs8Pem(EC), TestKeys.spkiPem(RSA)));
        assertThat(kinds.code()).isEqualTo("KEY_MISMATCH");
        assertThat(kinds.getMessage()).contains("EC_P256", "RSA_2048");
    }

    @Test
    void aDamagedPrivateKeyWhosePublicHalfMatchesIsCaught() throws Exception {
        // same modulus and public exponent, one CRT exponent wrong
        var rsa = (java.security.interfaces.RSAPrivateCrtKey) RSA.getPrivate();
        var broken = java.security.KeyFactory.getInstance("RSA").generatePrivate(new java.security.spec.RSAPrivateCrtKeySpec(
                rsa.getModulus(), rsa.getPublicExponent(), rsa.getPrivateExponent(),
                rsa.getPrimeP(), rsa.getPrimeQ(), rsa.getPrimeExponentP().add(java.math.BigInteger.TWO),
                rsa.getPrimeExponentQ(), rsa.getCrtCoefficient()));

        var e = invalid(() -> KeyImport.importPair(TestKeys.pem("PRIVATE KEY", broken.getEncoded()), TestKeys.spkiPem(RSA)));
        assertThat(e.code()).isEqualTo("KEY_MISMATCH");
    }

    @Test
    void weakRsa() {
        KeyPair weak = TestKeys.rsa(1024);
        for (ThrowingCallable call : new ThrowingCallable[] {
                () -> KeyImport.importPublicKey(TestKeys.spkiPem(weak)),
                () -> KeyImport.importPublicKey(TestKeys.spkiBase64(weak)),
                () -> KeyImport.importPair(TestKeys.pkcs8Pem(weak), null),
                () -> KeyImport.importPair(TestKeys.pkcs1PrivatePem(weak), TestKeys.spkiPem(weak))}) {
            var e = invalid(call);
            assertThat(e.code()).isEqualTo("KEY_TOO_WEAK");
            assertThat(e.problem().status()).isEqualTo(422);
            assertThat(e.problem().detail()).contains("1024").contains("2048");
        }
    }

    @Test
    void certificateInsteadOfKey() {
        String certificate = TestKeys.selfSignedCertificatePem(RSA);
        String bare = certificate.replaceAll("-----[A-Z ]+-----", "");

        for (String pasted : new String[] {certificate, bare}) {
            var e = invalid(() -> KeyImport.importPublicKey(pasted));
            assertThat(e.code()).isEqualTo("KEY_IS_CERTIFICATE");
            assertThat(e.problem().detail()).contains("openssl x509 -pubkey -noout -in cert.pem");
        }
        assertThat(invalid(() -> KeyImport.importPair(certificate, null)).code()).isEqualTo("KEY_IS_CERTIFICATE");
        assertThat(invalid(() -> KeyImport.importPair(TestKeys.pkcs8Pem(RSA), certificate)).code())
                .isEqualTo("KEY_IS_CERTIFICATE");
    }

    @Test
    void malformedInput() {
        String pem = TestKeys.spkiPem(RSA);
        byte[] random = new byte[294];
        new Random(7).nextBytes(random);
        String[] inputs = {
                "", "   ", "hello world", "not a key at all!", "-----BEGIN PUBLIC KEY-----",
                pem.substring(0, pem.length() / 2), // cut off while copying
                pem.substring(0, 100) + pem.substring(140), // a piece missing in the middle
                pem.replace("-----END PUBLIC KEY-----", "-----END PRIVATE KEY-----"),
                Base64.getEncoder().encodeToString(random),
                TestKeys.pem("PUBLIC KEY", random),
                "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n",
                "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
        };
        for (String input : inputs) {
            var e = invalid(() -> KeyImport.importPublicKey(input));
            assertThat(e.code()).as(input).isEqualTo("KEY_MALFORMED");
            assertThat(e.problem().status()).isEqualTo(400);
        }
        assertThat(invalid(() -> KeyImport.importPublicKey(null)).code()).isEqualTo("KEY_MALFORMED");
        assertThat(invalid(() -> KeyImport.importPair(null, null)).code()).isEqualTo("KEY_MALFORMED");
        assertThat(invalid(() -> KeyImport.importPair("garbage", null)).code()).isEqualTo("KEY_MALFORMED");
        String privatePem = TestKeys.pkcs8Pem(RSA);
        assertThat(invalid(() -> KeyImport.importPair(privatePem.substring(0, 300), null)).code()).isEqualTo("KEY_MALFORMED");
        assertThat(invalid(() -> KeyImport.importPair(privatePem.substring(0, 300) + "\n-----END PRIVATE KEY-----", null))
                .code()).isEqualTo("KEY_MALFORMED");
    }

    @Test
    void hostileDerIsRejectedNotFatal() {
        byte[] indefinite = new byte[40_000]; // SEQUENCE inside SEQUENCE ..., indefinite lengths
        for (int i = 0; i < indefinite.length; i += 2) {
            indefinite[i] = 0x30;
            indefinite[i + 1] = (byte) 0x80;
        }
        byte[] huge = new byte[60_000];
        for (byte[] der : new byte[][] {indefinite, {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}}) {
            String base64 = Base64.getEncoder().encodeToString(der);
            assertThat(invalid(() -> KeyImport.importPublicKey(base64)).code()).isEqualTo("KEY_MALFORMED");
            assertThat(invalid(() -> KeyImport.importPair(base64, null)).code()).isEqualTo("KEY_MALFORMED");
        }
        assertThat(invalid(() -> KeyImport.importPublicKey(Base64.getEncoder().encodeToString(huge))).getMessage())
                .contains("too long");
    }

    @Test
    void encryptedPrivateKeysMustBeDecryptedFirst() {
        String encrypted = TestKeys.encryptedPkcs8Pem(RSA);
        assertThat(encrypted).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        String encryptedPkcs1 = TestKeys.encryptedPkcs1Pem(RSA);
        assertThat(encryptedPkcs1).contains("Proc-Type: 4,ENCRYPTED");

        for (String pasted : new String[] {encrypted, encryptedPkcs1, encrypted.replaceAll("-----[A-Z ]+-----", "")}) {
            var e = invalid(() -> KeyImport.importPair(pasted, TestKeys.spkiPem(RSA)));
            assertThat(e.code()).isEqualTo("KEY_UNSUPPORTED");
            assertThat(e.problem().detail()).contains("decrypt it first");
        }
    }

    @Test
    void otherUnsupportedKeys() {
        KeyPair dsa = TestKeys.generate("DSA", 2048);
        KeyPair p384 = TestKeys.ec("secp384r1");
        KeyPair ed448 = TestKeys.generate("Ed448", 448);

        assertThat(invalid(() -> KeyImport.importPublicKey(TestKeys.spkiPem(dsa))).getMessage()).contains("DSA");
        assertThat(invalid(() -> KeyImport.importPair(TestKeys.pkcs8Pem(dsa), null)).code()).isEqualTo("KEY_UNSUPPORTED");
        assertThat(invalid(() -> KeyImport.importPair(TestKeys.traditionalPem(dsa.getPrivate()), null)).code())
                .isEqualTo("KEY_UNSUPPORTED");
        var curve = invalid(() -> KeyImport.importPublicKey(TestKeys.spkiPem(p384)));
        assertThat(curve.code()).isEqualTo("KEY_UNSUPPORTED");
        assertThat(curve.getMessage()).contains("secp384r1", "P-256");
        assertThat(invalid(() -> KeyImport.importPair(TestKeys.sec1Pem(p384), null)).code())
                .isEqualTo("KEY_UNSUPPORTED");
        assertThat(invalid(() -> KeyImport.importPublicKey(TestKeys.spkiPem(ed448))).code()).isEqualTo("KEY_UNSUPPORTED");
        assertThat(invalid(() -> KeyImport.importPublicKey("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 me@host")).code())
                .isEqualTo("KEY_UNSUPPORTED");
        assertThat(invalid(() -> KeyImport.importPair(
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", null))
                .getMessage()).contains("ssh-keygen");
        assertThat(invalid(() -> KeyImport.importPublicKey(TestKeys.spkiPem(TestKeys.rsa(2560)))).getMessage())
                .contains("2560", "2048, 3072 and 4096");
    }

    @Test
    void privateKeyWherePublicExpectedIsNeverEchoed() {
        String pkcs8 = TestKeys.pkcs8Pem(RSA);
        String pkcs1 = TestKeys.pkcs1PrivatePem(RSA);
        String sec1 = TestKeys.sec1Pem(EC);
        String[] pasted = {
                pkcs8, pkcs1, sec1,
                pkcs8.replaceAll("-----[A-Z ]+-----", ""), // bare base64, as key tools show it
                pkcs1.replaceAll("-----[A-Z ]+-----", ""),
                pkcs8.substring(0, 200) + "\n-----END PRIVATE KEY-----", // damaged, still private
                TestKeys.encryptedPkcs8Pem(RSA),
        };
        for (String privateKey : pasted) {
            var e = invalid(() -> KeyImport.importPublicKey(privateKey));
            assertThat(e.code()).isEqualTo("KEY_WRONG_KIND");
            assertThat(e.problem().status()).isEqualTo(422);
            assertNoPartOf(privateKey, e);
        }
        // and the other way round
        var e = invalid(() -> KeyImport.importPair(TestKeys.spkiPem(RSA), null));
        assertThat(e.code()).isEqualTo("KEY_WRONG_KIND");
        var both = invalid(() -> KeyImport.importPair(pkcs8, pkcs1));
        assertThat(both.code()).isEqualTo("KEY_WRONG_KIND");
        assertNoPartOf(pkcs8, both);
        assertNoPartOf(pkcs1, both);
        // every other failure on a private key does not quote it either
        var mismatch = invalid(() -> KeyImport.importPair(pkcs8, TestKeys.spkiPem(OTHER_RSA)));
        assertNoPartOf(pkcs8, mismatch);
    }

    private static void assertNoPartOf(String key, InvalidKeyMaterialException e) {
        String body = key.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        for (String text : new String[] {e.getMessage(), e.problem().detail(), e.problem().title(), String.valueOf(e)}) {
            for (int i = 0; i + 8 <= body.length(); i++) {
                String part = body.substring(i, i + 8);
                if (part.chars().allMatch(Character::isLetterOrDigit) && !part.chars().allMatch(Character::isLetter)) {
                    assertThat(text).doesNotContain(part);
                }
            }
        }
    }

    private static InvalidKeyMaterialException invalid(ThrowingCallable call) {
        InvalidKeyMaterialException e = catchThrowableOfType(InvalidKeyMaterialException.class, call);
        assertThat(e).as("expected InvalidKeyMaterialException").isNotNull();
        return e;
    }
}
