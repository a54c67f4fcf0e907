package dev.keiryo.engine.api.run;

/** Inference latency at one batch size: median and 95th percentile per call, and the throughput they imply. */
public record LatencyStats(int batchSize, int runs, double p50Millis, double p95Millis, double samplesPerSecond) {}
