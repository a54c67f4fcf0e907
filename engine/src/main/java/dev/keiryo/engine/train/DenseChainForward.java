package dev.keiryo.engine.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The inference pass of a chain of dense layers ending in a softmax layer, as {@link
 * ComputationGraph#outputSingle} computes it, with the products called straight into OpenBLAS
 * ({@link DenseProducts}) and each layer's bias and activation as one Java pass: DL4J's pass ran
 * LeNet-300-100 at batch 512 at about 146,000 samples/s on a 2-core AMD EPYC, its products on one
 * core through oneDNN. Dropout does nothing at inference, so chains with it are covered. An
 * activation layer right after a dense layer without an activation of its own (imported models
 * have those) counts as that layer's activation. Anything else (weight noise, which quantization-aware training applies at inference too, layer norm,
 * preprocessors, other activations, non-float weights) is not, and {@link #of} returns empty.
 * Weights are read on every call, so in-place edits (pruning previews) are always seen. Safe to call from several threads at once.
 */
public final class DenseChainForward {
    /** The activations the dense fast paths compute. */
    enum Act {
        IDENTITY,
        RELU,
        TANH,
        SIGMOID
    }

    /**
     * Each network's chain, by vertex index: only the shape, never the network, which as a value
     * would keep its own weak key alive for good.
     */
    private static final Map<ComputationGraph, Optional<Chain>> CACHE =
            Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * The fewest rows worth a core of their own: below, handing rows to another core costs more
     * than it saves, and small batches (previews, latency) stay on the calling thread.
     */
    private static final int MIN_PART_ROWS = 64;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);
    /**
     * Each thread's hidden-layer outputs by shape, reused from call to call: allocated afresh, their
     * native memory is returned only when the garbage collector finds them, and a pass of
     * LeNet-300-100 at batch 512 then took 1.5-2 times as long.
     */
    private static final ThreadLocal<Map<Long, INDArray>> HIDDEN = ThreadLocal.withInitial(java.util.HashMap::new);

    private record Chain(int[] vertices, Act[] acts) {}

    private final ComputationGraph net;
    private final int[] vertices;
    private final Act[] acts;

    private DenseChainForward(ComputationGraph net, Chain chain) {
        this.net = net;
        this.vertices = chain.vertices();
        this.acts = chain.acts();
    }

    /**
     * The pass for {@code net} as it is now, or empty when it is not a chain this class covers.
     * The answer is kept per network (Keiryo changes a network's layers only by making a new one).
     */
    public static Optional<DenseChainForward> of(ComputationGraph net) {
        return CACHE.computeIfAbsent(net, DenseChainForward::chain).map(c -> new DenseChainForward(net, c));
    }

    /** As {@link #of}, looked at afresh. */
    static Optional<DenseChainForward> inspect(ComputationGraph net) {
        return chain(net).map(c -> new DenseChainForward(net, c));
    }

    /** The dense chain that follows {@code front}, reading its output flattened per example, or empty. */
    static Optional<DenseChainForward> inspectAfter(ComputationGraph net, ConvFront front) {
        return chain(net, front).map(c -> new DenseChainForward(net, c));
    }

    private static Optional<Chain> chain(ComputationGraph net) {
        return chain(net, null);
    }

    private static Optional<Chain> chain(ComputationGraph net, ConvFront front) {
        if (net.getConfiguration().getNetworkInputs().size() != 1
                || net.getConfiguration().getNetworkOutputs().size() != 1
                || net.params() == null
                || net.params().dataType() != DataType.FLOAT) {
            return Optional.empty();
        }
        GraphVertex[] vertices = net.getVertices();
        List<Integer> chain = new ArrayList<>();
        List<Act> acts = new ArrayList<>();
        int previous = -1;
        boolean ended = false;
        // ConvFrontInspection walked the same order: everything up to its last vertex is the front
        boolean inFront = front != null;
        for (int index : net.topologicalSortOrder()) {
            GraphVertex v = vertices[index];
            if (inFront) {
                inFront = index != front.lastVertex();
                previous = index;
                continue;
            }
            if (v.isInputVertex()) {
                previous = index;
                continue;
            }
            if (ended
                    || !(v instanceof LayerVertex lv)
                    || !readsAsIs(lv, front != null && chain.isEmpty())
                    || v.getInputVertices() == null
                    || v.getInputVertices().length != 1
                    || v.getInputVertices()[0].getVertexIndex() != previous) {
                return Optional.empty();
            }
            org.deeplearning4j.nn.conf.layers.Layer conf = v.getLayer().conf().getLayer();
            if (conf.getClass() == DenseLayer.class) {
                DenseLayer d = (DenseLayer) conf;
                Act act = act(d.getActivationFn());
                if (act == null || !d.hasBias() || d.hasLayerNorm() || d.getWeightNoise() != null) {
                    return Optional.empty();
                }
                acts.add(act);
            } else if (conf.getClass() == OutputLayer.class) {
                OutputLayer o = (OutputLayer) conf;
                if (!(o.getActivationFn() instanceof ActivationSoftmax) || !o.hasBias() || o.getWeightNoise() != null) {
                    return Optional.empty();
                }
                acts.add(Act.IDENTITY);
                ended = true;
            } else if (conf.getClass() == ActivationLayer.class && !chain.isEmpty()) {
                // an activation of its own, as imported models have: the dense layer before takes it
                Act act = act(((ActivationLayer) conf).getActivationFn());
                Act before = acts.get(acts.size() - 1);
                if (act == null || conf.getIDropout() != null || !(before == Act.IDENTITY || act == Act.IDENTITY)) {
                    return Optional.empty();
                }
                if (act != Act.IDENTITY) {
                    acts.set(acts.size() - 1, act);
                }
                previous = index;
                continue;
            } else {
                return Optional.empty();
            }
            chain.add(index);
            previous = index;
        }
        if (!ended) {
            return Optional.empty();
        }
        return Optional.of(new Chain(chain.stream().mapToInt(Integer::intValue).toArray(), acts.toArray(new Act[0])));
    }

    /**
     * Whether a layer reads its input vertex's output unchanged, or, for the first dense layer
     * after convolutions ({@code flattens}), flattened per example in NCHW order.
     */
    private static boolean readsAsIs(LayerVertex v, boolean flattens) {
        if (!flattens) {
            return v.getLayerPreProcessor() == null;
        }
        return v.getLayerPreProcessor() instanceof CnnToFeedForwardPreProcessor p && p.getFormat() == CNN2DFormat.NCHW;
    }

    /** The activation of a dense layer as one of {@link Act}, or null when the fast paths do not compute it. */
    static Act act(IActivation a) {
        if (a instanceof ActivationReLU r) {
            return r.getMax() == null && zero(r.getThreshold()) && zero(r.getNegativeSlope()) ? Act.RELU : null;
        }
        if (a instanceof ActivationIdentity) {
            return Act.IDENTITY;
        }
        if (a instanceof ActivationTanH) {
            return Act.TANH;
        }
        if (a instanceof ActivationSigmoid) {
            return Act.SIGMOID;
        }
        return null;
    }

    private static boolean zero(Double d) {
        return d == null || d == 0.0;
    }

    /** Whether {@code features} are rows this pass takes (float32, as wide as the first layer). */
    public boolean accepts(INDArray features) {
        return features.rank() == 2
                && features.dataType() == DataType.FLOAT
                && features.columns() == layer(0).getParam("W").rows()
                && features.rows() > 0;
    }

    /** The class probabilities for {@code features}, {@code n x classes}, row-major. */
    @SuppressWarnings("try") // the resource scopes a native setting; the body never names it
    public INDArray output(INDArray features) {
        int n = features.rows();
        INDArray[] outs = new INDArray[vertices.length];
        boolean direct = true;
        INDArray in = features;
        for (int l = 0; l < vertices.length; l++) {
            INDArray w = layer(l).getParam("W");
            int width = w.columns();
            outs[l] = l == vertices.length - 1
                    ? Nd4j.create(DataType.FLOAT, n, width)
                    : HIDDEN.get()
                            .computeIfAbsent(((long) n << 32) | width, k -> Nd4j.create(DataType.FLOAT, n, width));
            direct &= DenseProducts.direct(in, w, outs[l]);
            in = outs[l];
        }
        int parts = direct ? Math.min(ShardWorkers.parallelism(), n / MIN_PART_ROWS) : 1;
        if (parts <= 1) {
            rows(features, outs, 0, n, direct);
        } else {
            // each core takes its share of the rows through every layer, OpenBLAS on one thread for
            // each: no hand-off between the cores per product, and the element-wise passes split too
            try (OpThreads.Scope serial = OpThreads.SerialBlas.enter()) {
                ShardWorkers.run(
                        parts,
                        p -> rows(
                                features,
                                outs,
                                (int) ((long) n * p / parts),
                                (int) ((long) n * (p + 1) / parts),
                                true));
            }
        }
        return outs[vertices.length - 1];
    }

    /** Rows {@code from..to-1} of the input through every layer into the same rows of {@code outs}. */
    private void rows(INDArray features, INDArray[] outs, int from, int to, boolean direct) {
        int n = to - from;
        float[][] scratch = SCRATCH.get();
        INDArray in = features;
        for (int l = 0; l < vertices.length; l++) {
            Layer layer = layer(l);
            INDArray w = layer.getParam("W");
            int width = w.columns();
            INDArray out = outs[l];
            if (direct) {
                DenseProducts.forwardRows(in, w, out, from, to);
            } else {
                DenseProducts.forward(in, w, out);
            }
            if (scratch[0].length < n * width) {
                scratch[0] = new float[n * width];
            }
            if (scratch[1].length < width) {
                scratch[1] = new float[width];
            }
            float[] a = scratch[0];
            float[] bias = scratch[1];
            long offset = (long) from * width;
            FusedAdam.pointer(out).position(offset).get(a, 0, n * width);
            FusedAdam.pointer(layer.getParam("b")).get(bias, 0, width);
            biasAndActivate(a, n, width, bias, acts[l], l == vertices.length - 1);
            FusedAdam.pointer(out).position(offset).put(a, 0, n * width);
            in = out;
        }
    }

    /** The chain's layers, input side first, the softmax layer last. */
    List<Layer> layers() {
        List<Layer> out = new ArrayList<>(vertices.length);
        for (int l = 0; l < vertices.length; l++) {
            out.add(layer(l));
        }
        return out;
    }

    /** Each layer's activation; the softmax layer's is {@link Act#IDENTITY}, its softmax applied apart. */
    Act[] acts() {
        return acts.clone();
    }

    /** The chain's layer {@code l}, looked up on each call: re-initialising a network replaces its layers. */
    private Layer layer(int l) {
        return net.getVertices()[vertices[l]].getLayer();
    }

    /**
     * Adds {@code bias} to each of the {@code n} rows of {@code a} ({@code w} wide) and applies
     * {@code act}, or a softmax over each row when {@code softmax}.
     */
    static void biasAndActivate(float[] a, int n, int w, float[] bias, Act act, boolean softmax) {
        for (int r = 0; r < n; r++) {
            int o = r * w;
            for (int c = 0; c < w; c++) {
                a[o + c] += bias[c];
            }
            if (softmax) {
                softmax(a, o, w);
                continue;
            }
            switch (act) {
                case RELU -> {
                    for (int c = 0; c < w; c++) {
                        a[o + c] = Math.max(a[o + c], 0f);
                    }
                }
                case TANH -> {
                    for (int c = 0; c < w; c++) {
                        a[o + c] = (float) Math.tanh(a[o + c]);
                    }
                }
                case SIGMOID -> {
                    for (int c = 0; c < w; c++) {
                        a[o + c] = (float) (1.0 / (1.0 + Math.exp(-a[o + c])));
                    }
                }
                case IDENTITY -> {}
            }
        }
    }

    private static void softmax(float[] a, int o, int w) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < w; c++) {
            max = Math.max(max, a[o + c]);
        }
        double sum = 0;
        for (int c = 0; c < w; c++) {
            float e = (float) Math.exp(a[o + c] - max);
            a[o + c] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int c = 0; c < w; c++) {
            a[o + c] *= inv;
        }
    }
}
