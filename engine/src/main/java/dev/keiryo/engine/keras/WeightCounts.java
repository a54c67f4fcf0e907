package dev.keiryo.engine.keras;

import dev.keiryo.engine.api.KeiryoException;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * Checks that each layer's weights in the file are as many as its configuration needs. DL4J copies
 * a Dense kernel of the wrong shape without complaint and the model then computes something else,
 * so a file whose weights and model_config disagree is refused here instead.
 */
final class WeightCounts {
    private static final String ROOT = "model_weights";

    private WeightCounts() {}

    static void check(Path file, ComputationGraph net) {
        try (Hdf5Archive archive = new Hdf5Archive(file.toString())) {
            List<String> groups = archive.getGroups(ROOT);
            for (Layer layer : net.getLayers()) {
                String name = layer.conf().getLayer().getLayerName();
                if (layer.numParams() == 0 || !groups.contains(name)) {
                    continue;
                }
                long stored = stored(archive, name);
                if (stored >= 0 && stored != layer.numParams()) {
                    throw new KeiryoException(file + ": layer '" + name + "' has " + stored
                            + " weights in the file but its configuration needs " + layer.numParams()
                            + "; the weights do not belong to this model_config, so save the model again with"
                            + " model.save(\"model.h5\").");
                }
            }
        } catch (UnsupportedKerasConfigurationException | RuntimeException e) {
            if (e instanceof KeiryoException k) {
                throw k;
            }
            throw new KeiryoException(
                    file + ": cannot read the layers' weights (" + e.getMessage()
                            + "); the file may be damaged, so copy or save it again.",
                    e);
        }
    }

    /** The number of values under model_weights/name/name, where Keras 2 keeps them; -1 if elsewhere. */
    private static long stored(Hdf5Archive archive, String name) throws UnsupportedKerasConfigurationException {
        if (!archive.getGroups(ROOT, name).contains(name)) {
            return -1;
        }
        long n = 0;
        for (String set : archive.getDataSets(ROOT, name, name)) {
            n += archive.readDataSet(set, ROOT, name, name).length();
        }
        return n;
    }
}
