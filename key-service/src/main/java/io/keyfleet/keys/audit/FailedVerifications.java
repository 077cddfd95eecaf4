package io.keyfleet.keys.audit;

import io.keyfleet.auth.VerificationCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Turns failed verifications into audit records without one record per failure: when one source address fails
 * {@code keyfleet.audit.failed-verification-burst} times within {@code keyfleet.audit.failed-verification-window},
 * one record says so (with the codes seen), and the next only after another full burst. Counted per instance.
 */
@ApplicationScoped
public class FailedVerifications {

    private static final int MAX_SOURCES = 10_000;

    private static final class Window {
        long startNanos;
        int count;
        final Map<VerificationCode, Integer> codes = new EnumMap<>(VerificationCode.class);
    }

    private final ConcurrentHashMap<String, Window> bySource = new ConcurrentHashMap<>();

    @ConfigProperty(name = "keyfleet.audit.failed-verification-burst", defaultValue = "10")
    int burst;

    @ConfigProperty(name = "keyfleet.audit.failed-verification-window", defaultValue = "PT1M")
    Duration window;

    @Inject
    AuditLog auditLog;

    public void failed(String sourceIp, VerificationCode code) {
        String source = sourceIp == null || sourceIp.isBlank() ? "unknown" : sourceIp;
        if (bySource.size() > MAX_SOURCES) {
            bySource.clear();
        }
        String report = null;
        Window current = bySource.computeIfAbsent(source, s -> new Window());
        synchronized (current) {
            long now = System.nanoTime();
            if (current.count == 0 || now - current.startNanos > window.toNanos()) {
                current.startNanos = now;
                current.count = 0;
                current.codes.clear();
            }
            current.count++;
            current.codes.merge(code, 1, Integer::sum);
            if (current.count == burst) {
                report = burst + " failed verifications within " + window.toSeconds() + " s from " + source + ": " + current.codes;
                current.count = 0;
                current.codes.clear();
            }
        }
        if (report != null) {
            auditLog.recordBurst(source, report);
        }
    }
}
