package dev.keiryo.engine.api.bench;

/**
 * One preview's timings ({@code keiryo bench --preview}).
 *
 * @param firstSweepMedianMs the same sweep, run first in a fresh process, before the JIT has compiled the preview's code
 */
public record PreviewRow(
        String mode,
        int examples,
        int requests,
        double medianMs,
        double p95Ms,
        double firstSweepMedianMs,
        double minAccuracy,
        double maxAccuracy)
        implements BenchRow {}
