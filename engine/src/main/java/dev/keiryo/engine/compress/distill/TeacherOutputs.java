package dev.keiryo.engine.compress.distill;

import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.Layers;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;

/**
 * What a frozen teacher says about inputs, always in inference mode (dropout off, batch norm on its
 * running statistics), so it never changes the teacher: its logits, and a hidden layer's activations.
 */
public final class TeacherOutputs {
    private TeacherOutputs() {}

    /**
     * The teacher's logits for every example of {@code data}, row-major N x K in data set order. With
     * no data augmentation these are the same in every epoch, so they are computed once and packed
     * beside the labels instead of running the teacher again for every student minibatch.
     */
    public static float[] cacheLogits(
            ComputationGraph teacher, Dataset data, Normalizer normalization, boolean imageShaped, int batchSize) {
        return cache(teacher, data, normalization, imageShaped, batchSize, -1, 0)
                .logits();
    }

    /**
     * Logits and, when {@code hintIndex >= 0}, that layer's flattened activations ({@code hintWidth}
     * values per example), from one inference pass over {@code data}.
     */
    public static Cached cache(
            ComputationGraph teacher,
            Dataset data,
            Normalizer normalization,
            boolean imageShaped,
            int batchSize,
            int hintIndex,
            int hintWidth) {
        ArrayDataSetIterator it = ArrayDataSetIterator.builder(data)
                .normalization(normalization)
                .batchSize(batchSize)
                .shuffle(false)
                .imageShaped(imageShaped)
                .build();
        int k = data.numClasses();
        float[] logits = new float[data.size() * k];
        float[] hints = hintIndex < 0 ? null : new float[Math.multiplyExact(data.size(), hintWidth)];
        int row = 0;
        String hint = hintIndex < 0 ? null : Layers.names(teacher).get(hintIndex);
        while (it.hasNext()) {
            DataSet ds = it.next();
            Map<String, INDArray> acts = teacher.feedForward(ds.getFeatures(), false);
            float[] z = logitsFrom(teacher, acts.get(logitsSource(teacher)))
                    .castTo(DataType.FLOAT)
                    .dup('c')
                    .data()
                    .asFloat();
            System.arraycopy(z, 0, logits, row * k, z.length);
            if (hints != null) {
                float[] h =
                        acts.get(hint).castTo(DataType.FLOAT).dup('c').data().asFloat();
                System.arraycopy(h, 0, hints, row * hintWidth, h.length);
            }
            row += (int) ds.getFeatures().size(0);
            release(teacher, acts, null);
        }
        return new Cached(logits, hints, hintWidth);
    }

    /** One pass's results: logits N x K, and hint activations N x hintWidth or null. */
    public record Cached(float[] logits, float[] hints, int hintWidth) {}

    /** The output layer's pre-activation: the activations entering it times its W, plus its b. */
    public static INDArray logits(ComputationGraph teacher, INDArray features) {
        Map<String, INDArray> acts = teacher.feedForward(features, false);
        INDArray z = logitsFrom(teacher, acts.get(logitsSource(teacher)));
        release(teacher, acts, null);
        return z;
    }

    /** The vertex whose activations enter the (single) output layer. */
    private static String logitsSource(ComputationGraph teacher) {
        ComputationGraphConfiguration c = teacher.getConfiguration();
        return c.getVertexInputs().get(c.getNetworkOutputs().get(0)).get(0);
    }

    /**
     * Frees a forward pass's activations now. They live off the Java heap, and a teacher's conv
     * activations are ~100 MB per minibatch: left to the garbage collector, which sees only their
     * small Java handles, a pass over 60,000 images grew one process to 22 GB and the kernel killed it.
     * The network's inputs belong to the caller.
     */
    private static void release(ComputationGraph net, Map<String, INDArray> acts, INDArray keep) {
        List<String> inputs = net.getConfiguration().getNetworkInputs();
        for (Map.Entry<String, INDArray> e : acts.entrySet()) {
            INDArray a = e.getValue();
            if (a != keep && !inputs.contains(e.getKey()) && a.closeable()) {
                a.close();
            }
        }
    }

    private static INDArray logitsFrom(ComputationGraph teacher, INDArray input) {
        String output = teacher.getConfiguration().getNetworkOutputs().get(0);
        INDArray in = input;
        InputPreProcessor pp =
                ((LayerVertex) teacher.getConfiguration().getVertices().get(output)).getPreProcessor();
        if (pp != null) {
            in = pp.preProcess(in, (int) in.size(0), LayerWorkspaceMgr.noWorkspaces());
        }
        if (in.rank() > 2) {
            in = in.reshape('c', in.size(0), -1);
        }
        Layer out = teacher.getLayer(output);
        return in.mmul(out.getParam("W")).addiRowVector(out.getParam("b"));
    }

    /** The output of layer {@code index} in inference mode: the hint that guides a student in FitNets. */
    public static INDArray activation(ComputationGraph teacher, int index, INDArray features) {
        Map<String, INDArray> acts = teacher.feedForward(features, false);
        INDArray hint = acts.get(Layers.names(teacher).get(index));
        release(teacher, acts, hint);
        return hint;
    }
}
