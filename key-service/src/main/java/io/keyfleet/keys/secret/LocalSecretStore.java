package io.keyfleet.keys.secret;

import io.quarkus.narayana.jta.QuarkusTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.SecretKey;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The {@code local} backend: envelope encryption (see {@link Envelope}) in key-service's own database, table
 * {@code secret_version}. Nothing secret is stored in clear: the secret is AES-GCM ciphertext, its data key is wrapped
 * by a master key that never enters the database. Reads and writes join the caller's transaction.
 */
public class LocalSecretStore implements SecretStore {

    private static final Logger LOG = Logger.getLogger(LocalSecretStore.class);

    private final DataSource dataSource;
    private final MasterKeys masterKeys;
    private final int rewrapBatchSize;

    /** Rows re-wrapped, rows that could not be unwrapped (left as they were), and what remains per master key version. */
    public record RewrapResult(int activeMasterKeyVersion, long rewrapped, long failed,
                               Map<Integer, Long> rowsByMasterKeyVersion) {
    }

    public LocalSecretStore(DataSource dataSource, MasterKeys masterKeys, int rewrapBatchSize) {
        this.dataSource = dataSource;
        this.masterKeys = masterKeys;
        this.rewrapBatchSize = Math.max(1, rewrapBatchSize);
    }

    @Override
    public void put(String path, int version, byte[] secret) {
        SecretPaths.check(path, version);
        SecretPaths.checkSecret(secret);
        Envelope.Sealed sealed = Envelope.seal(masterKeys.active(), masterKeys.activeVersion(), path, version, secret);
        int inserted = inTransaction(connection -> {
            // compare-and-set: only if `version` directly follows the latest stored one; a concurrent writer of the
            // same version waits on the primary key and then inserts nothing
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into secret_version (path, version, master_key_version, wrapped_data_key, iv, ciphertext, created_at)
                    select ?, ?, ?, ?, ?, ?, now()
                    where (select coalesce(max(version), 0) from secret_version where path = ?) = ?
                    on conflict (path, version) do nothing""")) {
                insert.setString(1, path);
                insert.setInt(2, version);
                insert.setInt(3, masterKeys.activeVersion());
                insert.setBytes(4, sealed.wrappedDataKey());
                insert.setBytes(5, sealed.iv());
                insert.setBytes(6, sealed.ciphertext());
                insert.setString(7, path);
                insert.setInt(8, version - 1);
                return insert.executeUpdate();
            }
        });
        if (inserted != 1) {
            throw new SecretVersionConflictException(path, version);
        }
    }

    @Override
    public byte[] get(String path, int version) {
        SecretPaths.check(path, version);
        Row row = inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    select master_key_version, wrapped_data_key, iv, ciphertext from secret_version
                    where path = ? and version = ? and destroyed_at is null""")) {
                select.setString(1, path);
                select.setInt(2, version);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? new Row(path, version, rs.getInt(1), rs.getBytes(2), rs.getBytes(3), rs.getBytes(4)) : null;
                }
            }
        });
        if (row == null) {
            throw new SecretNotFoundException(path, version);
        }
        SecretKey master = masterKey(row);
        try {
            return Envelope.open(master, row.masterKeyVersion, path, version, row.sealed());
        } catch (Envelope.OpenFailure e) {
            throw new SecretStoreException(e.unwrap
                    ? "Cannot unwrap the data key of '" + path + "' version " + version + " with master key version "
                    + row.masterKeyVersion + ": the loaded key of that version is not the one that wrapped it, or the"
                    + " row was altered"
                    : "The ciphertext of '" + path + "' version " + version + " does not authenticate: the row was"
                    + " altered or its material belongs to another secret");
        }
    }

    @Override
    public void destroy(String path, int version) {
        SecretPaths.check(path, version);
        inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    update secret_version set wrapped_data_key = null, iv = null, ciphertext = null, destroyed_at = now()
                    where path = ? and version = ? and destroyed_at is null""")) {
                update.setString(1, path);
                update.setInt(2, version);
                return update.executeUpdate();
            }
        });
    }

    @Override
    public String backend() {
        return "local";
    }

    public MasterKeys masterKeys() {
        return masterKeys;
    }

    /**
     * Re-wraps every live data key that is not under the active master key version with the active one, in batches
     * of their own transactions (the secrets' ciphertexts stay as they are). Afterwards an older master key version
     * can be removed once {@code rowsByMasterKeyVersion} shows no row under it. Rows that cannot be unwrapped are
     * counted in {@code failed} and left alone. Call it outside a transaction.
     */
    public RewrapResult rewrapAll() {
        int target = masterKeys.activeVersion();
        SecretKey to = masterKeys.active();
        long rewrapped = 0;
        long failed = 0;
        String afterPath = "";
        int afterVersion = 0;
        while (true) {
            String fromPath = afterPath;
            int fromVersion = afterVersion;
            long[] counts = new long[2];
            List<Row> batch = QuarkusTransaction.requiringNew().call(() -> {
                List<Row> rows = new ArrayList<>();
                try (Connection connection = dataSource.getConnection();
                     PreparedStatement select = connection.prepareStatement("""
                             select path, version, master_key_version, wrapped_data_key from secret_version
                             where destroyed_at is null and master_key_version <> ? and (path, version) > (?, ?)
                             order by path, version limit ? for update""");
                     PreparedStatement update = connection.prepareStatement("""
                             update secret_version set wrapped_data_key = ?, master_key_version = ?
                             where path = ? and version = ? and master_key_version = ?""")) {
                    select.setInt(1, target);
                    select.setString(2, fromPath);
                    select.setInt(3, fromVersion);
                    select.setInt(4, rewrapBatchSize);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            rows.add(new Row(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getBytes(4), null, null));
                        }
                    }
                    for (Row row : rows) {
                        SecretKey from = masterKeys.version(row.masterKeyVersion).orElse(null);
                        if (from == null) {
                            counts[1]++;
                            continue;
                        }
                        try {
                            update.setBytes(1, Envelope.rewrap(from, row.masterKeyVersion, to, target, row.path, row.version,
                                    row.wrappedDataKey));
                        } catch (Envelope.OpenFailure e) {
                            counts[1]++;
                            continue;
                        }
                        update.setInt(2, target);
                        update.setString(3, row.path);
                        update.setInt(4, row.version);
                        update.setInt(5, row.masterKeyVersion);
                        update.addBatch();
                        counts[0]++;
                    }
                    update.executeBatch();
                }
                return rows;
            });
            rewrapped += counts[0];
            failed += counts[1];
            if (batch.size() < rewrapBatchSize) {
                break;
            }
            afterPath = batch.get(batch.size() - 1).path;
            afterVersion = batch.get(batch.size() - 1).version;
        }
        Map<Integer, Long> remaining = QuarkusTransaction.requiringNew().call(() -> {
            Map<Integer, Long> counts = new TreeMap<>();
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement select = connection.prepareStatement("""
                         select master_key_version, count(*) from secret_version where destroyed_at is null
                         group by master_key_version""");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getInt(1), rs.getLong(2));
                }
            }
            return counts;
        });
        LOG.infof("Rewrap to master key version %d: %d re-wrapped, %d could not be unwrapped; live rows per master key"
                + " version now %s", target, rewrapped, failed, remaining);
        return new RewrapResult(target, rewrapped, failed, remaining);
    }

    /** For the readiness check: the table answers. */
    void ping() {
        inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("select 1 from secret_version limit 1");
                 ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        });
    }

    private SecretKey masterKey(Row row) {
        return masterKeys.version(row.masterKeyVersion).orElseThrow(() -> new SecretStoreException("'" + row.path
                + "' version " + row.version + " is wrapped with master key version " + row.masterKeyVersion
                + ", which is not loaded (loaded: " + masterKeys.versions() + "); add that version back to"
                + " keyfleet.secrets.local.master-key-file or keyfleet.secrets.local.master-keys"));
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return work.run(connection);
            }
        });
    }

    private record Row(String path, int version, int masterKeyVersion, byte[] wrappedDataKey, byte[] iv, byte[] ciphertext) {
        Envelope.Sealed sealed() {
            return new Envelope.Sealed(wrappedDataKey, iv, ciphertext);
        }
    }
}
