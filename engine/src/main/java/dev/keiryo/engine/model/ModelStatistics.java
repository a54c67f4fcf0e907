package dev.keiryo.engine.model;

import dev.keiryo.engine.api.model.LayerStats;
import dev.keiryo.engine.api.model.ModelStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Measures a network into {@link ModelStats}: parameters, non-zeros and FLOPs per layer. */
public final class ModelStatistics {
    private ModelStatistics() {}

    public static ModelStats of(ComputationGraph net, InputType input) {
        Map<String, InputType> outTypes = net.getConfiguration().getLayerActivationTypes(input);
        List<String> names = Layers.names(net);
        List<LayerStats> layers = new ArrayList<>();
        long params = 0;
        long nz = 0;
        long flops = 0;
        for (int i = 0; i < names.size(); i++) {
            org.deeplearning4j.nn.api.Layer runtime = net.getLayer(names.get(i));
            Layer layer = runtime.conf().getLayer();
            InputType out = outTypes.get(names.get(i));
            long p = 0;
            long n = 0;
            for (Map.Entry<String, INDArray> e : runtime.paramTable().entrySet()) {
                p += e.getValue().length();
                n += nonZeros(e.getValue());
            }
            long f = flops(layer, out);
            layers.add(new LayerStats(i, names.get(i), layer.getClass().getSimpleName(), shape(out), p, n, f, p * 4));
            params += p;
            nz += n;
            flops += f;
        }
        return new ModelStats(List.copyOf(layers), params, nz, flops, params * 4);
    }

    /**
     * Counts exactly: {@code Conditions.equals(0.0)} matches within ND4J's tolerance (1e-5), so an
     * untrained network's tiny weights would count as zeros that the weight histogram does not see.
     */
    private static long nonZeros(INDArray a) {
        long n = 0;
        for (double v :
                a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).ravel().toDoubleVector()) {
            if (v != 0) {
                n++;
            }
        }
        return n;
    }

    private static long flops(Layer layer, InputType out) {
        long outElems = out.arrayElementsPerExample();
        if (layer instanceof ConvolutionLayer c) {
            long[] k = toLong(c.getKernelSize());
            return 2L * k[0] * k[1] * c.getNIn() * outElems;
        }
        if (layer instanceof FeedForwardLayer f && !(layer instanceof BatchNormalization)) {
            return 2L * f.getNIn() * f.getNOut();
        }
        if (layer instanceof SubsamplingLayer s) {
            long[] k = toLong(s.getKernelSize());
            return k[0] * k[1] * outElems;
        }
        return outElems;
    }

    private static long[] toLong(int[] a) {
        return new long[] {a[0], a.length > 1 ? a[1] : a[0]};
    }

    static String shape(InputType t) {
        long[] s = t.getShape(false);
        StringBuilder b = new StringBuilder();
        for (long d : s) {
            if (b.length() > 0) {
                b.append('x');
            }
            b.append(d);
        }
        return b.toString();
    }
}
