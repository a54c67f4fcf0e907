package dev.keiryo.engine.api.bench;

/**
 * One result of {@code keiryo bench}, printed as a {@code RESULT} JSON line whose fields are the
 * record's components, in order (engine/bench/compare_torch.py reads them by name).
 */
public sealed interface BenchRow permits SpeedRow, FormatRow, ParallelRow, PreviewRow, OnnxRow, OnnxProfileRow {}
