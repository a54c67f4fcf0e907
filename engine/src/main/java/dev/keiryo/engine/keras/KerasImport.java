package dev.keiryo.engine.keras;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.train.TrainSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Imports a Keras classifier saved as HDF5 ({@code model.save("model.h5")} in Keras 2 or tf.keras)
 * as a Keiryo model: a graph that takes channels-first images (or rows of features), ends in a
 * softmax output layer with cross-entropy loss, and carries the Keras weights.
 */
public final class KerasImport {
    /** The name Keiryo's model metadata gives the architecture of every imported Keras model. */
    public static final String PRESET = "keras";

    private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private KerasImport() {}

    /** The model with no class names and inputs taken as they come. */
    public static KeiryoModel load(Path file) {
        return load(file, List.of(), Normalizer.none());
    }

    /**
     * The model in {@code file}.
     *
     * @param classNames the names of the output classes in order, or empty (Keras files have none)
     * @param normalization how raw inputs are mapped before they reach the network, as the Keras
     *     model was trained (Keras keeps this outside the model file)
     * @throws KeiryoException with one sentence naming the file and what is wrong, for a file that is
     *     not a Keras HDF5 model or a model Keiryo cannot import
     */
    public static KeiryoModel load(Path file, List<String> classNames, Normalizer normalization) {
        checkFile(file);
        String modelJson = readModelConfig(file);
        KerasConfig config = KerasConfig.parse(file, modelJson);
        if (!classNames.isEmpty() && classNames.size() != config.numClasses()) {
            throw new KeiryoException(file + ": the model has " + config.numClasses() + " classes but "
                    + classNames.size() + " class names were given; give one name per output class.");
        }
        TrainSettings defaults = TrainSettings.defaults();
        ComputationGraph imported = importGraph(file, config);
        WeightCounts.check(file, imported);
        ComputationGraph graph =
                ChannelsFirst.convert(file, imported, defaults.optimizer().updater(defaults.learningRate(), false));
        ModelMeta meta = new ModelMeta(
                ModelMeta.FORMAT_VERSION,
                PRESET,
                config.input(),
                config.imageShaped(),
                config.numClasses(),
                classNames,
                normalization);
        return new KeiryoModel(graph, meta);
    }

    private static void checkFile(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HDF5_MAGIC.length);
        } catch (IOException e) {
            throw new KeiryoException(
                    file + ": cannot read the file (" + e.getMessage() + "); check that it exists and is readable.", e);
        }
        if (Arrays.equals(Arrays.copyOf(head, ZIP_MAGIC.length), ZIP_MAGIC)) {
            throw new KeiryoException(file + ": is a Keras 3 (.keras) archive, which Keiryo cannot read (DL4J"
                    + " reads the HDF5 files of Keras 2 and tf.keras); save the model from Keras 2 or TensorFlow"
                    + " 2.15 or earlier with model.save(\"model.h5\") and import that.");
        }
        if (!Arrays.equals(head, HDF5_MAGIC)) {
            throw new KeiryoException(file + ": is not an HDF5 file; Keiryo imports Keras models saved with"
                    + " model.save(\"model.h5\").");
        }
    }

    private static String readModelConfig(Path file) {
        quietHdf5();
        try (Hdf5Archive archive = new Hdf5Archive(file.toString())) {
            if (!archive.hasAttribute("model_config")) {
                throw new KeiryoException(file + ": is an HDF5 file without a Keras model_config (weights only, or"
                        + " not from Keras); save the whole model with model.save(\"model.h5\").");
            }
            String version = archive.hasAttribute("keras_version")
                    ? archive.readAttributeAsString("keras_version").strip()
                    : "";
            if (!version.isEmpty() && !version.startsWith("1") && !version.startsWith("2")) {
                throw new KeiryoException(file + ": was saved by Keras " + version + ", whose layer settings DL4J"
                        + " cannot read (it reads Keras 1 and 2 and tf.keras); save the model from Keras 2 or"
                        + " TensorFlow 2.15 or earlier with model.save(\"model.h5\") and import that.");
            }
            return archive.readAttributeAsJson("model_config");
        } catch (UnsupportedKerasConfigurationException | RuntimeException e) {
            if (e instanceof KeiryoException k) {
                throw k;
            }
            throw new KeiryoException(
                    file + ": cannot be read as HDF5 (" + reason(e)
                            + "); the file may be truncated or damaged, so copy or save it again.",
                    e);
        }
    }

    private static ComputationGraph importGraph(Path file, KerasConfig config) {
        quietHdf5();
        try {
            // enforceTrainingConfig=false: Keiryo trains with its own settings, and Keras's
            // optimizer and regularizer settings need not map onto DL4J's to import the model.
            if (config.sequential()) {
                MultiLayerNetwork chain = KerasModelImport.importKerasSequentialModelAndWeights(file.toString(), false);
                return KeiryoModel.of(chain, null).net();
            }
            return KerasModelImport.importKerasModelAndWeights(file.toString(), false);
        } catch (InvalidKerasConfigurationException | UnsupportedKerasConfigurationException e) {
            throw new KeiryoException(
                    file + ": DL4J cannot import this Keras model (" + reason(e) + "); Keiryo"
                            + " imports Sequential and functional classifiers built from "
                            + String.join(", ", KerasConfig.SUPPORTED)
                            + ".",
                    e);
        } catch (IOException | RuntimeException e) {
            throw new KeiryoException(
                    file + ": cannot be read as a Keras model (" + reason(e)
                            + "); the file may be truncated or damaged, so copy or save it again.",
                    e);
        }
    }

    /** The library's own message, without the documentation link DL4J appends to each. */
    private static String reason(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int link = m.indexOf(". For more information");
        m = link < 0 ? m : m.substring(0, link);
        m = m.strip();
        return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    }

    /** HDF5 prints its error stack to stderr by itself; the engine reports errors only by exception. */
    private static void quietHdf5() {
        try {
            org.bytedeco.hdf5.Exception.dontPrint();
        } catch (LinkageError e) {
            // JavaCPP 1.5.7, which DL4J 1.0.0-M2.1 uses, has no HDF5 build for some platforms (Apple silicon).
            throw new KeiryoException(
                    "Keras import needs the HDF5 native library, which is not available for "
                            + System.getProperty("os.name") + " on " + System.getProperty("os.arch") + " (" + e
                            + "); import the model on Linux, Windows or an Intel Mac and use the saved Keiryo model"
                            + " here.",
                    e);
        }
    }
}
