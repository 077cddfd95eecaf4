package io.keyfleet.bench.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The report's text layout (no timing is asserted anywhere). */
class ReportTest {

    @Test
    void labelsAroundTheLabelWidthRender() {
        Report report = new Report("test", "layout");
        Report.Section section = report.section("s", "a section");
        for (int length = 58; length <= 66; length++) {
            section.count("k" + length, "x".repeat(length), length);
        }
        String text = report.render();
        for (int length = 58; length <= 66; length++) {
            assertTrue(text.contains("x".repeat(length)), "label of " + length + " characters");
        }
    }

    @Test
    void latenciesShowP50P99MaxAndTheCount() {
        Report report = new Report("test", "layout");
        report.section("s", "a section").latencies("lat", "latency", Latencies.ofNanos(new long[] {1_000_000L, 2_000_000L, 30_000_000L}));
        assertTrue(report.render().contains("2.00 / 30.0 / 30.0 ms  p50 / p99 / max of 3"), report.render());
    }
}
