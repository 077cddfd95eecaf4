package io.keyfleet.sandbox.gateway;

import io.keyfleet.sandbox.support.Rsa;
import io.keyfleet.sandbox.support.SandboxConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.KeyFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import javax.sql.DataSource;

/**
 * The sandbox platform's key pair, which signs every gateway response. Taken from
 * {@code keyfleet.sandbox.platform-private-key} when set, otherwise made on first start and kept in
 * {@code platform_key}; concurrent first starts agree on one pair (insert if absent, then read).
 */
@Startup
@ApplicationScoped
public class PlatformKey {

    @Inject
    DataSource dataSource;

    @Inject
    SandboxConfig config;

    private PrivateKey privateKey;
    private PublicKey publicKey;

    @PostConstruct
    void load() {
        if (config.platformPrivateKey().isPresent() && !config.platformPrivateKey().get().isBlank()) {
            byte[] der = Rsa.derFromText(config.platformPrivateKey().get());
            if (der == null) {
                throw new IllegalStateException("keyfleet.sandbox.platform-private-key is not PKCS#8 base64 or PEM");
            }
            privateKey = Rsa.privateKey(der);
            publicKey = publicOf(privateKey);
            return;
        }
        QuarkusTransaction.requiringNew().run(this::loadOrCreate);
    }

    private void loadOrCreate() {
        try (Connection connection = dataSource.getConnection()) {
            KeyPair fresh = Rsa.generate();
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into platform_key (id, private_key, public_key, created_at) values (1, ?, ?, ?) on conflict (id) do nothing")) {
                insert.setBytes(1, fresh.getPrivate().getEncoded());
                insert.setBytes(2, fresh.getPublic().getEncoded());
                insert.setTimestamp(3, Timestamp.from(Instant.now()));
                insert.executeUpdate();
            }
            try (PreparedStatement select = connection.prepareStatement("select private_key, public_key from platform_key where id = 1");
                 ResultSet row = select.executeQuery()) {
                row.next();
                privateKey = Rsa.privateKey(row.getBytes(1));
                publicKey = Rsa.publicKey(row.getBytes(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read or store the platform key", e);
        }
    }

    private static PublicKey publicOf(PrivateKey key) {
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new IllegalStateException("keyfleet.sandbox.platform-private-key must be an RSA key with CRT parameters");
        }
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The bare base64 of the SubjectPublicKeyInfo: what the SDK takes as alipayPublicKey. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }
}
