package dev.keiryo.engine.job;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.keras.KerasImport;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.onnx.OnnxImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Models made by other frameworks, told apart by their file's extension: ONNX ({@code .onnx}) and
 * Keras ({@code .h5}, {@code .keras}). Such a file carries no class names or input normalisation,
 * so the data it is used with supplies them.
 */
public final class ModelImports {
    private ModelImports() {}

    /** Whether {@code file} is a model from another framework rather than one Keiryo saved. */
    public static boolean isImport(Path file) {
        String n = name(file);
        return n.endsWith(".onnx") || n.endsWith(".h5") || n.endsWith(".keras");
    }

    /**
     * Refuses, before any run folder exists, a file that is missing or of a kind Keiryo cannot import.
     *
     * @throws KeiryoException naming the file and the kinds that can be imported
     */
    public static void requireImportable(Path file) {
        if (!isImport(file)) {
            throw new KeiryoException(
                    "cannot import " + file + ": Keiryo imports ONNX (.onnx) and Keras (.h5) models; a model"
                            + " Keiryo saved (.zip, .kpack) needs no import, give it to eval, prune or quantize directly.");
        }
        if (!Files.isRegularFile(file)) {
            throw new KeiryoException("model file " + file + " does not exist; give the path of the model to import.");
        }
    }

    /** The model in {@code file} with the data's class names and the normalisation fitted on its training split. */
    public static KeiryoModel read(Path file, List<String> classNames, Normalizer normalization) {
        String n = name(file);
        return n.endsWith(".h5") || n.endsWith(".keras")
                ? KerasImport.load(file, classNames, normalization)
                : OnnxImporter.read(file, classNames, normalization);
    }

    private static String name(Path file) {
        return String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
    }
}
