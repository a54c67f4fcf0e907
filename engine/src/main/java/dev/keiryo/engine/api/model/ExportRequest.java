package dev.keiryo.engine.api.model;

import java.nio.file.Path;

/**
 * An ONNX export ({@code keiryo export}).
 *
 * @param model a model zip or {@code .kpack} file
 * @param out the ONNX file to write; it must not exist
 * @param int8 write the int8 (QDQ) graph instead of float32
 * @param calibration training examples the int8 activation ranges are measured on
 * @param source for int8: the data source of the training examples ("sample", "fashion-mnist", ...)
 * @param data for int8: the data folder or file; null for the source's default place
 */
public record ExportRequest(Path model, Path out, boolean int8, int calibration, String source, Path data) {
    /** Training examples the int8 export calibrates on unless told otherwise. */
    public static final int DEFAULT_CALIBRATION = 512;
}
