package io.keyfleet.sandbox.app;

import io.keyfleet.sandbox.cert.SandboxCa;
import io.keyfleet.sandbox.support.Rsa;
import io.keyfleet.sandbox.support.SandboxClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

@ApplicationScoped
public class SandboxApps {

    @Inject
    DataSource dataSource;

    @Inject
    SandboxClock clock;

    @Inject
    SandboxCa ca;

    /**
     * Registers the app or replaces its key and lifetimes. In certificate mode the sandbox CA issues the app a new
     * public-key certificate of its key (requests must then name it in app_cert_sn); otherwise the app has none.
     */
    @Transactional
    public SandboxApp register(String appId, PublicKey publicKey, long accessLifetimeSeconds, long refreshLifetimeSeconds,
                               long refreshGraceSeconds, boolean omitExpiry, boolean certificateMode) {
        byte[] appCert;
        try {
            appCert = certificateMode ? ca.issueApp(appId, publicKey).getEncoded() : null;
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        Instant now = clock.now();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("""
                     insert into sandbox_app (app_id, public_key, access_lifetime_seconds, refresh_lifetime_seconds,
                                              refresh_grace_seconds, omit_expiry, created_at, updated_at, app_cert)
                     values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                     on conflict (app_id) do update set public_key = excluded.public_key,
                         access_lifetime_seconds = excluded.access_lifetime_seconds,
                         refresh_lifetime_seconds = excluded.refresh_lifetime_seconds,
                         refresh_grace_seconds = excluded.refresh_grace_seconds,
                         omit_expiry = excluded.omit_expiry, updated_at = excluded.updated_at, app_cert = excluded.app_cert""")) {
            upsert.setString(1, appId);
            upsert.setBytes(2, publicKey.getEncoded());
            upsert.setLong(3, accessLifetimeSeconds);
            upsert.setLong(4, refreshLifetimeSeconds);
            upsert.setLong(5, refreshGraceSeconds);
            upsert.setBoolean(6, omitExpiry);
            upsert.setTimestamp(7, Timestamp.from(now));
            upsert.setTimestamp(8, Timestamp.from(now));
            upsert.setBytes(9, appCert);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return find(appId).orElseThrow();
    }

    public Optional<SandboxApp> find(String appId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     select app_id, public_key, access_lifetime_seconds, refresh_lifetime_seconds, refresh_grace_seconds,
                            omit_expiry, created_at, updated_at, app_cert
                     from sandbox_app where app_id = ?""")) {
            select.setString(1, appId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SandboxApp(row.getString(1), Rsa.publicKey(row.getBytes(2)), row.getLong(3), row.getLong(4),
                        row.getLong(5), row.getBoolean(6), row.getTimestamp(7).toInstant(), row.getTimestamp(8).toInstant(),
                        row.getBytes(9) == null ? null : SandboxCa.certificate(row.getBytes(9))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
