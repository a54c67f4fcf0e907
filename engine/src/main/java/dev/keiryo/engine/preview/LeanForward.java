package dev.keiryo.engine.preview;

import dev.keiryo.engine.model.GraphTopology;
import dev.keiryo.engine.model.Layers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.AvgPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.MaxPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The predicted classes of a plain feed-forward network, computed with bare ND4J ops instead of
 * {@link ComputationGraph#output}: a preview evaluates the same few thousand images for every
 * slider position, so the network's per-call machinery (input checks, layer helpers converting
 * layouts on every call, the final softmax) is paid thousands of times for nothing.
 *
 * <p>Images travel in NHWC: oneDNN's NCHW kernels pad LeNet-5's 20 and 50 channels to blocks of
 * 16, doing up to twice the arithmetic. Only what the presets are made of is covered (convolution,
 * max/average pooling, dense, activation, dropout, a softmax output layer); for anything else
 * {@link #of} returns empty and the caller uses the network itself. The weights are read from the
 * network on every call, so a preview that rewrites them in place is always seen.
 */
public final class LeanForward {
    private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();
    private static final String WORKSPACE_ID = "KEIRYO_LEAN_FORWARD";

    private final ComputationGraph net;
    private final List<Step> steps;

    private LeanForward(ComputationGraph net, List<Step> steps) {
        this.net = net;
        this.steps = steps;
    }

    /** One layer (with its input preprocessor folded in) as an operation on the running activations. */
    private interface Step {
        INDArray apply(INDArray x);
    }

    /** A lean pass for a float32 {@code net}, or empty if it has another data type or a layer or preprocessor this class does not cover. */
    public static Optional<LeanForward> of(ComputationGraph net) {
        if (net.params().dataType() != org.nd4j.linalg.api.buffer.DataType.FLOAT) {
            // The prepared features are float32; a network converted to another format runs through its own output().
            return Optional.empty();
        }
        ComputationGraphConfiguration conf = net.getConfiguration();
        if (!new GraphTopology(conf).isChain()) {
            // branches (residual sums) run through the graph's own output()
            return Optional.empty();
        }
        List<String> names = Layers.names(conf);
        List<Step> steps = new ArrayList<>();
        int last = names.size() - 1;
        for (int i = 0; i <= last; i++) {
            LayerVertex vertex = (LayerVertex) conf.getVertices().get(names.get(i));
            Layer layer = vertex.getLayerConf().getLayer();
            if (layer instanceof BaseLayer b && b.getWeightNoise() != null) {
                return Optional.empty();
            }
            InputPreProcessor pre = vertex.getPreProcessor();
            if (pre instanceof FeedForwardToCnnPreProcessor p) {
                long h = p.getInputHeight();
                long w = p.getInputWidth();
                long c = p.getNumChannels();
                steps.add(x -> x.rank() == 4
                        ? x
                        : x.reshape('c', x.size(0), c, h, w).permute(0, 2, 3, 1).dup('c'));
            } else if (pre instanceof CnnToFeedForwardPreProcessor) {
                // Back to the network's own flattening order (channels first), which its dense weights expect.
                steps.add(x -> x.rank() == 2
                        ? x
                        : x.permute(0, 3, 1, 2).dup('c').reshape('c', x.size(0), x.length() / x.size(0)));
            } else if (pre != null) {
                return Optional.empty();
            }
            Step step = step(net, i, layer, i == last);
            if (step == null) {
                return Optional.empty();
            }
            steps.add(step);
        }
        return Optional.of(new LeanForward(net, List.copyOf(steps)));
    }

    /**
     * Features as the network takes them (flat rows, or NCHW images), rearranged once into what
     * {@link #predict} takes: a preview converts its fixed subset ahead of time instead of per call.
     */
    public static INDArray prepare(INDArray features) {
        return features.rank() == 4 ? features.permute(0, 2, 3, 1).dup('c') : features;
    }

    /** The class each row of {@code prepared} (from {@link #prepare}) is predicted to be. */
    @SuppressWarnings("try") // the resource scopes a native setting; the body never names it
    public long[] predict(INDArray prepared) {
        synchronized (net) {
            try (MemoryWorkspace ignored =
                    Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, WORKSPACE_ID)) {
                return run(prepared).argMax(1).toLongVector();
            }
        }
    }

    /** The last layer's pre-softmax output for {@code prepared}, outside any workspace (for checks against the network). */
    @SuppressWarnings("try") // the resource scopes a native setting; the body never names it
    INDArray logits(INDArray prepared) {
        synchronized (net) {
            try (MemoryWorkspace ignored =
                    Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, WORKSPACE_ID)) {
                return run(prepared).detach();
            }
        }
    }

    private INDArray run(INDArray prepared) {
        INDArray x = prepared;
        for (Step s : steps) {
            x = s.apply(x);
        }
        return x;
    }

    private static Step step(ComputationGraph net, int index, Layer layer, boolean last) {
        if (layer.getClass() == ConvolutionLayer.class) {
            return convolution(net, index, (ConvolutionLayer) layer);
        }
        if (layer.getClass() == SubsamplingLayer.class) {
            return pooling((SubsamplingLayer) layer);
        }
        if (layer.getClass() == DenseLayer.class || layer.getClass() == OutputLayer.class) {
            BaseLayer b = (BaseLayer) layer;
            boolean bias = layer instanceof DenseLayer d ? d.hasBias() : ((OutputLayer) layer).hasBias();
            // argmax is the same before and after a softmax, so the output layer stops at its logits.
            IActivation act = last && b.getActivationFn() instanceof ActivationSoftmax ? null : b.getActivationFn();
            if (layer.getClass() == OutputLayer.class && act != null && !last) {
                return null;
            }
            return x -> {
                org.deeplearning4j.nn.api.Layer l = Layers.at(net, index);
                INDArray z = x.mmul(l.getParam("W"));
                if (bias) {
                    z.addiRowVector(l.getParam("b"));
                }
                return act == null ? z : act.getActivation(z, false);
            };
        }
        if (layer.getClass() == ActivationLayer.class) {
            IActivation act = ((ActivationLayer) layer).getActivationFn();
            return x -> act.getActivation(x, false);
        }
        if (layer.getClass() == DropoutLayer.class) {
            return x -> x;
        }
        return null;
    }

    private static Step convolution(ComputationGraph net, int index, ConvolutionLayer c) {
        PaddingMode mode = padding(c.getConvolutionMode());
        if (mode == null || c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            return null;
        }
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        int[] p = c.getPadding();
        int[] d = c.getDilation();
        Conv2DConfig config = Conv2DConfig.builder()
                .kH(k[0])
                .kW(k[1])
                .sH(s[0])
                .sW(s[1])
                .pH(p[0])
                .pW(p[1])
                .dH(d[0])
                .dW(d[1])
                .paddingMode(mode)
                .dataFormat("NHWC")
                .weightsFormat(WeightsFormat.OIYX)
                .build();
        IActivation act = c.getActivationFn();
        boolean bias = c.hasBias();
        return x -> {
            org.deeplearning4j.nn.api.Layer l = Layers.at(net, index);
            INDArray[] in = bias
                    ? new INDArray[] {x, l.getParam("W"), l.getParam("b").reshape(-1)}
                    : new INDArray[] {x, l.getParam("W")};
            return act.getActivation(Nd4j.exec(new Conv2D(in, null, config))[0], false);
        };
    }

    private static Step pooling(SubsamplingLayer pool) {
        PaddingMode mode = padding(pool.getConvolutionMode());
        int[] p = pool.getPadding();
        boolean max = pool.getPoolingType() == PoolingType.MAX;
        // Average pooling with padding divides differently in DL4J and libnd4j; not worth guessing.
        if (mode == null
                || pool.getCnn2dDataFormat() != CNN2DFormat.NCHW
                || !(max
                        || (pool.getPoolingType() == PoolingType.AVG
                                && p[0] == 0
                                && p[1] == 0
                                && mode == PaddingMode.VALID))) {
            return null;
        }
        int[] k = pool.getKernelSize();
        int[] s = pool.getStride();
        int[] d = pool.getDilation();
        Pooling2DConfig config = Pooling2DConfig.builder()
                .kH(k[0])
                .kW(k[1])
                .sH(s[0])
                .sW(s[1])
                .pH(p[0])
                .pW(p[1])
                .dH(d[0])
                .dW(d[1])
                .paddingMode(mode)
                .isNHWC(true)
                .build();
        return x ->
                max ? Nd4j.exec(new MaxPooling2D(x, null, config))[0] : Nd4j.exec(new AvgPooling2D(x, null, config))[0];
    }

    private static PaddingMode padding(ConvolutionMode mode) {
        return switch (mode) {
            case Truncate, Strict -> PaddingMode.VALID;
            case Same -> PaddingMode.SAME;
            default -> null;
        };
    }
}
