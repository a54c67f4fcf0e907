package dev.keiryo.engine.api.model;

import java.nio.file.Path;
import java.util.Map;

/**
 * A written ONNX file.
 *
 * @param format "float32" or "int8"
 * @param bytes the file's size
 * @param operators ONNX operators in the graph and how many of each
 * @param calibrationExamples training examples the int8 ranges came from; 0 for float32
 */
public record ExportResult(
        Path out, String format, long bytes, Map<String, Integer> operators, int calibrationExamples) {
    public ExportResult {
        operators = Map.copyOf(operators);
    }
}
