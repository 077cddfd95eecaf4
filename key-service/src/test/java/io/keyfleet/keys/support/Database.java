package io.keyfleet.keys.support;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;
import java.util.List;

/** Looks at key-service's database directly, as an operator with a SQL prompt (or a stolen backup) would. */
public final class Database {

    private Database() {
    }

    public static long count(EntityManager entityManager, String table) {
        return QuarkusTransaction.requiringNew().call(() ->
                ((Number) entityManager.createNativeQuery("select count(*) from " + table).getSingleResult()).longValue());
    }

    /**
     * Audit records written on behalf of callers. Scheduled jobs (actor keyfleet:scheduler) and failed-verification
     * bursts (written whenever ten failures from one address add up, whichever test caused them) run on their own
     * clock, so counting them would make a test depend on what ran before it.
     */
    public static long callerAuditRecords(EntityManager entityManager) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery("select count(*) from "
                + "audit_record where actor <> 'keyfleet:scheduler' and action <> 'credential.verify.failures'")
                .getSingleResult()).longValue());
    }

    /** Every row of every table as text, prefixed with its table; bytea columns come out as \x… hex. */
    @SuppressWarnings("unchecked")
    public static String dump(EntityManager entityManager) {
        return QuarkusTransaction.requiringNew().call(() -> {
            StringBuilder dump = new StringBuilder();
            List<String> tables = entityManager.createNativeQuery(
                    "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'").getResultList();
            for (String table : tables) {
                List<String> rows = entityManager.createNativeQuery("select t::text from " + table + " t").getResultList();
                rows.forEach(row -> dump.append(table).append(": ").append(row).append('\n'));
            }
            return dump.toString();
        });
    }
}
