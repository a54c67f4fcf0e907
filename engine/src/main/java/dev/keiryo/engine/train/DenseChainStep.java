package dev.keiryo.engine.train;

import dev.keiryo.engine.train.DenseChainForward.Act;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossNegativeLogLikelihood;

/**
 * One training step of a chain of dense layers ending in a softmax classifier (LeNet-300-100, the
 * MLPs), optionally behind convolutions and max poolings ({@link ConvFront}, LeNet-5), computed
 * as DL4J's {@code fit} computes it but without its layer machinery: the matrix products go
 * straight to OpenBLAS ({@link DenseProducts}), and the element-wise work of each layer (bias,
 * activation, softmax, loss, their derivatives) is one Java pass over a copy of the layer's
 * output ({@link DenseRows}). Each of DL4J's small element-wise ops costs 15-240 microseconds
 * here, a copy of a 128x300 activation 7. With convolutions in front, the minibatch is split
 * across the cores and each part runs forward and back through every layer on its own thread.
 * Plain Adam is one pass over each updater block's state; any other optimizer, regularization or
 * gradient normalization goes through the network's own updater. Constraints such as pruning
 * masks are applied after the step, as {@code fit} does.
 *
 * <p>{@link #of} covers float32 chains of plain dense layers (ReLU, tanh, sigmoid or identity)
 * without dropout, weight noise (quantization-aware training), layer norm, preprocessors (but the
 * flattening after convolutions) or listeners, and an output layer of softmax with cross-entropy;
 * anything else trains through DL4J. DL4J's path stays the reference: {@code DenseChainStepTest}
 * and {@code ConvFrontStepTest} compare the two.
 */
final class DenseChainStep {
    private final ComputationGraph net;
    /** The convolutions before the dense layers, or null. */
    private final ConvFront front;

    private final int layers;
    private final Act[] acts;
    private final int[] widths;
    private final INDArray[] weights;
    private final INDArray[] biases;
    private final INDArray[] weightGrads;
    private final INDArray[] biasGrads;
    private final Gradient gradient;
    private final boolean regularized;
    private final int maxWidth;
    private final List<UpdaterBlock> adamBlocks;
    private final double clipEps;
    private int rows = -1;
    private INDArray[] outs;
    private INDArray[] deltas;
    private INDArray[] biasRows;
    private INDArray frontOut;
    private INDArray frontDelta;
    /** The minibatch's rows as the cores share them, one part without convolutions in front. */
    private DenseRows[] parts = new DenseRows[0];

    private float[] bias = new float[0];
    private float[] adamG = new float[0];
    private float[] adamM = new float[0];
    private float[] adamV = new float[0];
    private float[] adamP = new float[0];

    private DenseChainStep(ComputationGraph net, ConvFront front, List<Layer> chain, List<Act> acts, double clipEps) {
        this.net = net;
        this.front = front;
        this.layers = chain.size();
        this.acts = acts.toArray(new Act[0]);
        this.clipEps = clipEps;
        if (net.getFlattenedGradients() == null) {
            net.initGradientsView();
        }
        this.widths = new int[layers + 1];
        this.weights = new INDArray[layers];
        this.biases = new INDArray[layers];
        this.weightGrads = new INDArray[layers];
        this.biasGrads = new INDArray[layers];
        this.gradient = new DefaultGradient(net.getFlattenedGradients());
        boolean reg = false;
        boolean normalized = false;
        List<Layer> all = new ArrayList<>(front == null ? List.of() : front.layers());
        all.addAll(chain);
        for (Layer layer : all) {
            String name = layer.conf().getLayer().getLayerName();
            Map<String, INDArray> g = gradientViews(layer);
            gradient.setGradientFor(name + "_W", g.get("W"));
            gradient.setGradientFor(name + "_b", g.get("b"));
            BaseLayer conf = (BaseLayer) layer.conf().getLayer();
            reg |= !conf.getRegularization().isEmpty()
                    || !conf.getRegularizationBias().isEmpty();
            normalized |= conf.getGradientNormalization() != null
                    && conf.getGradientNormalization() != GradientNormalization.None;
        }
        for (int l = 0; l < layers; l++) {
            Layer layer = chain.get(l);
            String name = layer.conf().getLayer().getLayerName();
            weights[l] = layer.getParam("W");
            biases[l] = layer.getParam("b");
            weightGrads[l] = gradient.getGradientFor(name + "_W");
            biasGrads[l] = gradient.getGradientFor(name + "_b");
            widths[l] = weights[l].rows();
            widths[l + 1] = weights[l].columns();
        }
        this.regularized = reg;
        int widest = 0;
        for (int l = 1; l <= layers; l++) {
            widest = Math.max(widest, widths[l]);
        }
        this.maxWidth = widest;
        this.adamBlocks = reg || normalized ? List.of() : adamBlocks(net);
    }

    /** A layer's weight and bias gradients, "W" and "b": views of the network's flattened gradient. */
    static Map<String, INDArray> gradientViews(Layer layer) {
        return layer.conf()
                .getLayer()
                .initializer()
                .getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
    }

    /** The fast step for {@code net}, or empty when it is not a chain this class covers. */
    static Optional<DenseChainStep> of(ComputationGraph net) {
        if (net.getConfiguration().getBackpropType() != BackpropType.Standard
                || !net.getListeners().isEmpty()) {
            return Optional.empty();
        }
        ConvFront front = null;
        Optional<DenseChainForward> forward = DenseChainForward.inspect(net);
        if (forward.isEmpty()) {
            front = ConvFrontInspection.inspect(net).orElse(null);
            if (front == null) {
                return Optional.empty();
            }
            forward = DenseChainForward.inspectAfter(net, front);
            if (forward.isEmpty()) {
                return Optional.empty();
            }
        }
        List<Layer> chain = forward.get().layers();
        for (Layer layer : chain) {
            if (plainBaseLayer((BaseLayer) layer.conf().getLayer())) {
                return Optional.empty();
            }
        }
        OutputLayer o = (OutputLayer) chain.get(chain.size() - 1).conf().getLayer();
        double clipEps;
        if (o.getLossFn() instanceof LossMCXENT m && m.getWeights() == null && m.getClass() == LossMCXENT.class) {
            clipEps = m.getSoftmaxClipEps();
        } else if (o.getLossFn() instanceof LossNegativeLogLikelihood n
                && n.getWeights() == null
                && n.getClass() == LossNegativeLogLikelihood.class) {
            clipEps = n.getSoftmaxClipEps();
        } else {
            return Optional.empty();
        }
        return Optional.of(
                new DenseChainStep(net, front, chain, List.of(forward.get().acts()), clipEps));
    }

    /** True when a layer has something this step does not compute (dropout, weight noise). */
    private static boolean plainBaseLayer(BaseLayer b) {
        return b.getIDropout() != null || b.getWeightNoise() != null;
    }

    /** Whether this step takes {@code features}/{@code labels} (dense float rows, no masks). */
    boolean accepts(INDArray features, INDArray labels, INDArray featureMask, INDArray labelMask) {
        boolean inputs = front == null
                ? features.rank() == 2 && features.dataType() == DataType.FLOAT && features.columns() == widths[0]
                : front.accepts(features) && front.outputWidth(features.size(2), features.size(3)) == widths[0];
        return featureMask == null
                && labelMask == null
                && inputs
                && labels.rank() == 2
                && labels.dataType() == DataType.FLOAT
                && labels.columns() == widths[layers]
                && features.size(0) == labels.rows();
    }

    /**
     * Whether minibatches like {@code features} train on one thread but for the matrix products,
     * which OpenBLAS runs on every core: dense chains whose minibatch is within the cut-off of
     * small inference passes. Splitting this step's element-wise work across cores cost
     * LeNet-300-100 at batch 128 more in hand-offs than it gained.
     */
    boolean serial(INDArray features) {
        return front == null
                && features.rank() == 2
                && features.rows() * (long) Math.max(widths[0], maxWidth) <= OpThreads.SERIAL_INFERENCE_UP_TO;
    }

    /**
     * Whether minibatches like {@code features} split across the cores in the step's own threads,
     * each calling OpenBLAS on one thread: with convolutions in front. OpenBLAS's own threads stay
     * out of it, as in PyTorch's fastest setting; once woken for the dense layers, OpenBLAS's
     * second thread spins for about 0.1 s, on the core where the step's helper works.
     */
    boolean sharded(INDArray features) {
        return front != null && front.accepts(features);
    }

    /** Trains on one minibatch; returns its score as DL4J's {@code fit} would report it, and sets it on the network. */
    double fit(INDArray features, INDArray labels) {
        int n = (int) features.size(0);
        // read through a pointer below, so it must be one contiguous row-major block
        INDArray y = labels.ordering() == 'c' && !labels.isView() ? labels : labels.dup('c');
        double loss = (front == null ? dense(features, y, n) : sharded(features, y, n)) / n;
        for (int l = 0; l < layers; l++) {
            int w = widths[l + 1];
            if (bias.length < w) {
                bias = new float[w];
            }
            java.util.Arrays.fill(bias, 0, w, 0f);
            for (DenseRows part : parts) {
                float[] sums = part.biasSums()[l];
                for (int c = 0; c < w; c++) {
                    bias[c] += sums[c];
                }
            }
            FusedAdam.pointer(biasRows[l]).put(bias, 0, w);
            biasGrads[l].assign(biasRows[l].reshape(biasGrads[l].shape()));
        }
        int iteration = net.getConfiguration().getIterationCount();
        int epoch = net.getConfiguration().getEpochCount();
        if (adamBlocks.isEmpty()) {
            net.getUpdater().update(gradient, iteration, epoch, n, LayerWorkspaceMgr.noWorkspaces());
            INDArray params = net.params();
            params.subi(net.getFlattenedGradients().reshape(params.shape()));
        } else {
            adam(n, iteration, epoch);
        }
        net.getConfiguration().setIterationCount(iteration + 1);
        net.applyConstraints(iteration, epoch);
        double score = loss + (regularized ? net.calcRegularizationScore(true) : 0.0);
        net.setScore(score);
        return score;
    }

    /**
     * The dense chain's pass over the whole minibatch on this thread, its products on OpenBLAS's
     * threads; returns the summed loss. Split across the cores as the convolution path is,
     * LeNet-300-100 trained at 55,000 samples/s against 63,000.
     */
    private double dense(INDArray features, INDArray y, int n) {
        buffers(n, new int[] {0, n});
        return parts[0].forwardBackward(features, y, weights, biases, null);
    }

    /**
     * Convolutions and dense layers together, the minibatch split across the cores as the front
     * splits it: each part runs forward and back through every layer for its rows, OpenBLAS on one
     * thread per part meanwhile; then the parts' weight gradients are added up into the network's.
     * Returns the summed loss.
     */
    @SuppressWarnings("try") // the resource scopes a native setting; the body never names it
    private double sharded(INDArray features, INDArray y, int n) {
        front.prepare(features);
        int[] bounds = new int[front.parts() + 1];
        for (int p = 0; p < front.parts(); p++) {
            bounds[p] = front.from(p);
            bounds[p + 1] = front.to(p);
        }
        buffers(n, bounds);
        double[] losses = new double[parts.length];
        try (OpThreads.Scope serialBlas = OpThreads.SerialBlas.enter()) {
            ShardWorkers.run(parts.length, p -> {
                DenseRows part = parts[p];
                front.forward(p, frontOut);
                losses[p] =
                        part.forwardBackward(part.rows(frontOut), part.rows(y), weights, biases, part.rows(frontDelta));
                front.backward(p, frontDelta);
            });
        }
        front.finish();
        for (int p = 1; p < parts.length; p++) {
            for (int l = 0; l < layers; l++) {
                weightGrads[l].addi(parts[p].weightGradients()[l]);
            }
        }
        double loss = 0;
        for (double l : losses) {
            loss += l;
        }
        return loss;
    }

    /**
     * The updater's blocks when every one is plain Adam (nothing else for the updater to do, as the
     * caller checks: no regularization or gradient normalization), empty otherwise.
     */
    private static List<UpdaterBlock> adamBlocks(ComputationGraph net) {
        List<UpdaterBlock> blocks = new ArrayList<>();
        for (UpdaterBlock b : net.getUpdater(true).getUpdaterBlocks()) {
            b.init();
            if (!(b.getGradientUpdater() instanceof AdamUpdater a)
                    || a.getM() == null
                    || a.getM().length() != b.getParamOffsetEnd() - b.getParamOffsetStart()) {
                return List.of();
            }
            blocks.add(b);
        }
        return blocks;
    }

    /**
     * DL4J's update for plain Adam in one pass per block: the gradient divided by the minibatch
     * size, Adam's step ({@link FusedAdam#step}'s arithmetic) and the parameters moved, where
     * DL4J makes three passes over native memory (divide, Adam, subtract).
     */
    private void adam(int n, int iteration, int epoch) {
        INDArray params = net.params().reshape(-1);
        INDArray grads = net.getFlattenedGradients().reshape(-1);
        for (UpdaterBlock b : adamBlocks) {
            AdamUpdater a = (AdamUpdater) b.getGradientUpdater();
            Adam c = a.getConfig();
            int from = b.getParamOffsetStart();
            int size = b.getParamOffsetEnd() - from;
            if (adamG.length < size) {
                adamG = new float[size];
                adamM = new float[size];
                adamV = new float[size];
                adamP = new float[size];
            }
            FloatPointer g = FusedAdam.pointer(grads).position(from);
            FloatPointer p = FusedAdam.pointer(params).position(from);
            FloatPointer m = FusedAdam.pointer(a.getM());
            FloatPointer v = FusedAdam.pointer(a.getV());
            g.get(adamG, 0, size);
            m.get(adamM, 0, size);
            v.get(adamV, 0, size);
            p.get(adamP, 0, size);
            float inv = 1f / n;
            for (int i = 0; i < size; i++) {
                adamG[i] *= inv;
            }
            FusedAdam.step(
                    adamG,
                    adamM,
                    adamV,
                    size,
                    (float) c.getLearningRate(iteration, epoch),
                    (float) c.getBeta1(),
                    (float) c.getBeta2(),
                    (float) c.getEpsilon(),
                    iteration);
            for (int i = 0; i < size; i++) {
                adamP[i] -= adamG[i];
            }
            m.put(adamM, 0, size);
            v.put(adamV, 0, size);
            p.put(adamP, 0, size);
        }
    }

    /** Buffers for minibatches of {@code n}, split into parts at {@code bounds} (part p is rows bounds[p] to bounds[p+1]). */
    private void buffers(int n, int[] bounds) {
        int count = bounds.length - 1;
        if (n == rows && parts.length == count) {
            return;
        }
        rows = n;
        outs = new INDArray[layers];
        deltas = new INDArray[layers];
        biasRows = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            outs[l] = Nd4j.create(DataType.FLOAT, n, widths[l + 1]);
            deltas[l] = Nd4j.create(DataType.FLOAT, n, widths[l + 1]);
            biasRows[l] = Nd4j.create(DataType.FLOAT, 1, widths[l + 1]);
        }
        if (front != null) {
            frontOut = Nd4j.create(DataType.FLOAT, n, widths[0]);
            frontDelta = Nd4j.create(DataType.FLOAT, n, widths[0]);
        }
        parts = new DenseRows[count];
        for (int p = 0; p < count; p++) {
            parts[p] = new DenseRows(
                    bounds[p], bounds[p + 1], widths, acts, clipEps, outs, deltas, p == 0 ? weightGrads : null);
        }
    }
}
