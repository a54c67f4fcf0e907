package dev.keiryo.engine.api.bench;

import java.nio.file.Path;

/**
 * Float32 against int8 ONNX exports of one model in ONNX Runtime ({@code keiryo bench --onnx}).
 *
 * @param model a model zip or {@code .kpack}
 * @param source the data source: its training set calibrates the int8 export, its test set is timed and scored
 * @param data the data folder or file; null for the source's default place
 * @param calibration training examples for the int8 ranges
 * @param rounds timed rounds; the formats take turns within each round
 * @param threads ONNX Runtime's intra-op threads; 0 for its default (one per core)
 * @param profile a folder for ONNX Runtime's per-node traces of both formats at the larger batch,
 *     summed by operator type into {@link OnnxProfileRow}s; null for no profile
 */
public record OnnxBenchRequest(
        Path model, String source, Path data, int calibration, int rounds, int threads, Path profile) {}
