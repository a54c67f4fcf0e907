package dev.keiryo.engine.compress.pack;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelMeta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads a {@code .kpack} file back into a network: rebuilds it from the stored configuration and
 * sets every parameter from the tensor table. Float32 encodings give back the written values bit
 * for bit (sparse ones turn -0.0 into +0.0, which no sum can tell apart), so the network computes
 * exactly what the packed one did.
 */
public final class PackReader {
    private PackReader() {}

    /**
     * Reads a packed model back into a network with the same weights.
     *
     * @throws KeiryoException naming the file if it is missing, not a packed model, from a newer
     *     Keiryo, truncated, damaged, or uses an encoding this Keiryo does not know
     */
    public static KeiryoModel read(Path file) {
        PackContents c = PackParser.parse(bytes(file), file);
        boolean graph = (c.flags() & PackFormat.FLAG_GRAPH) != 0;
        Model net = network(c, graph, file);
        Map<String, INDArray> params = net.paramTable();
        Set<String> seen = new HashSet<>();
        for (StoredTensor t : c.tensors()) {
            String name = t.name(graph);
            INDArray target = params.get(name);
            if (target == null || !seen.add(name)) {
                throw damaged(
                        file,
                        "its tensor table "
                                + (target == null
                                        ? "has parameter " + name + ", which the stored" + " network does not have"
                                        : "holds parameter " + name + " twice"));
            }
            if (!Arrays.equals(target.shape(), t.shape())) {
                throw damaged(
                        file,
                        "parameter " + name + " has shape " + Arrays.toString(t.shape()) + " but the stored"
                                + " network needs " + Arrays.toString(target.shape()));
            }
            float[] values = decode(t, name, file);
            if (values.length > 0) {
                target.assign(Nd4j.create(values, t.shape(), 'c'));
            }
        }
        for (String name : params.keySet()) {
            if (!seen.contains(name)) {
                throw damaged(file, "it has no values for parameter " + name + " of the stored network");
            }
        }
        return net instanceof ComputationGraph g
                ? new KeiryoModel(g, meta(c, file))
                : KeiryoModel.of((MultiLayerNetwork) net, meta(c, file));
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KeiryoException(
                    "packed model " + file + " does not exist; give the path of a .kpack file written by" + " Keiryo.",
                    e);
        } catch (IOException | OutOfMemoryError e) {
            throw new KeiryoException(
                    "packed model " + file + " cannot be read (" + e + "); check the path and" + " permissions.", e);
        }
    }

    private static float[] decode(StoredTensor t, String name, Path file) {
        TensorCodec codec = Codecs.byTag(t.tag());
        if (codec == null) {
            throw new KeiryoException(
                    "packed model " + file + " stores parameter " + name + " with encoding tag " + t.tag()
                            + ", which this Keiryo does not know (written by a newer Keiryo?); upgrade Keiryo to read it.");
        }
        try {
            return codec.decode(t.payload().duplicate().order(t.payload().order()), t.shape());
        } catch (PackFormatException e) {
            throw damaged(file, "parameter " + name + " (" + codec.id() + "): " + e.getMessage());
        }
    }

    /** A graph, or for files written before graphs a layer list (converted once its values are in). */
    private static Model network(PackContents c, boolean graph, Path file) {
        try {
            if (graph) {
                ComputationGraph net = new ComputationGraph(ComputationGraphConfiguration.fromJson(c.configJson()));
                net.init();
                return net;
            }
            MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(c.configJson()));
            net.init();
            return net;
        } catch (RuntimeException e) {
            throw new KeiryoException(
                    "packed model " + file + " holds a network configuration this Keiryo cannot rebuild ("
                            + e.getClass().getSimpleName() + ": "
                            + (e.getMessage() == null
                                    ? ""
                                    : e.getMessage().lines().findFirst().orElse(""))
                            + "); it may come from an incompatible version.",
                    e);
        }
    }

    private static ModelMeta meta(PackContents c, Path file) {
        if (c.metaJson() == null) {
            return null;
        }
        ModelMeta meta;
        try {
            meta = PackWriter.JSON.readValue(c.metaJson(), ModelMeta.class);
        } catch (IOException e) {
            throw damaged(
                    file,
                    "its metadata is not valid model metadata ("
                            + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (meta.formatVersion() > ModelMeta.FORMAT_VERSION) {
            throw new KeiryoException("packed model " + file + " has metadata format " + meta.formatVersion()
                    + ", newer than this Keiryo reads (" + ModelMeta.FORMAT_VERSION + "); upgrade Keiryo.");
        }
        return meta;
    }

    private static KeiryoException damaged(Path file, String detail) {
        return new KeiryoException("packed model " + file + " is damaged: " + detail + "; write the file again.");
    }
}
