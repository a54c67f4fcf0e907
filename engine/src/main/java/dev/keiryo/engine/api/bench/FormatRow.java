package dev.keiryo.engine.api.bench;

/**
 * One floating-point format's results ({@code keiryo bench --formats}).
 *
 * @param trainSamplesPerSecond null when ND4J cannot train in the format
 * @param note how the format compares with float32 here, in words
 */
public record FormatRow(
        String format,
        int bitsPerValue,
        double accuracy,
        int examples,
        double inferSamplesPerSecond,
        Double trainSamplesPerSecond,
        double inferVsFloat,
        Double trainVsFloat,
        String note)
        implements BenchRow {}
