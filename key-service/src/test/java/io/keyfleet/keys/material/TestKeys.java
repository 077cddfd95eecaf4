package io.keyfleet.keys.material;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Keys made with plain JDK (and BouncyCastle, as an unregistered provider instance) code, independent of ours. */
final class TestKeys {

    /** An instance only, never added to {@link java.security.Security}. */
    static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private TestKeys() {
    }

    /** The JDK's generator; above 2048 bits Corretto's when it loads, as the JDK takes seconds for 4096. */
    static KeyPair rsa(int bits) {
        var accp = com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE;
        if (bits <= 2048 || accp.getLoadingError() != null) {
            return generate("RSA", bits);
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", accp);
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair generate(String algorithm, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return KeyMaterial.pem(type, der);
    }

    static String pkcs8Pem(KeyPair pair) {
        return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    static String spkiPem(KeyPair pair) {
        return pem("PUBLIC KEY", pair.getPublic().getEncoded());
    }

    static String spkiBase64(KeyPair pair) {
        return Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    }

    /** "BEGIN RSA PRIVATE KEY": the RSAPrivateKey structure that PKCS#8 wraps. */
    static String pkcs1PrivatePem(KeyPair rsa) {
        try {
            byte[] pkcs1 = PrivateKeyInfo.getInstance(rsa.getPrivate().getEncoded()).parsePrivateKey().toASN1Primitive()
                    .getEncoded("DER");
            return pem("RSA PRIVATE KEY", pkcs1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "BEGIN RSA PUBLIC KEY": the RSAPublicKey structure that SubjectPublicKeyInfo wraps. */
    static String pkcs1PublicPem(KeyPair rsa) {
        try {
            byte[] pkcs1 = SubjectPublicKeyInfo.getInstance(rsa.getPublic().getEncoded()).parsePublicKey().getEncoded("DER");
            return pem("RSA PUBLIC KEY", pkcs1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "BEGIN EC PRIVATE KEY" as OpenSSL writes it: SEC1 with the curve and the public point. */
    static String sec1Pem(KeyPair ec) {
        try {
            var key = (java.security.interfaces.ECPrivateKey) ec.getPrivate();
            var spki = SubjectPublicKeyInfo.getInstance(ec.getPublic().getEncoded());
            var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(key.getParams().getOrder().bitLength(), key.getS(),
                    spki.getPublicKeyData(), spki.getAlgorithm().getParameters());
            return pem("EC PRIVATE KEY", sec1.getEncoded("DER"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** OpenSSL's traditional form as BouncyCastle writes it: RSA PKCS#1, DSA. */
    static String traditionalPem(PrivateKey key) {
        return write(key);
    }

    static String encryptedPkcs8Pem(KeyPair pair) {
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(BC)
                    .setPassword("secret".toCharArray()).build();
            return write(new JcaPKCS8Generator(pair.getPrivate(), encryptor));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** "BEGIN RSA PRIVATE KEY" with "Proc-Type: 4,ENCRYPTED" headers. */
    static String encryptedPkcs1Pem(KeyPair pair) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(pair.getPrivate(),
                    new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(BC).build("secret".toCharArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String selfSignedCertificatePem(KeyPair pair) {
        try {
            X500Principal name = new X500Principal("CN=keyfleet test");
            Date now = new Date();
            var holder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.getTime()), now,
                    new Date(now.getTime() + 86_400_000L), name, pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
            return pem("CERTIFICATE", holder.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean verifies(KeyMaterial material, byte[] data, byte[] signature) throws GeneralSecurityException {
        Signature verifier = Signature.getInstance(material.algorithm().jcaSignatureAlgorithm());
        verifier.initVerify(material.publicKey());
        verifier.update(data);
        return verifier.verify(signature);
    }

    static byte[] sign(KeyMaterial material, byte[] data) throws GeneralSecurityException {
        Signature signer = Signature.getInstance(material.algorithm().jcaSignatureAlgorithm());
        signer.initSign(material.privateKey().orElseThrow());
        signer.update(data);
        return signer.sign();
    }

    private static String write(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
