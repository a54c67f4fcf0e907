package dev.keiryo.engine.compress.prune.unit;

import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.Layers;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.train.TrainSettings;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Networks, inputs and edits shared by the unit pruning tests; everything is seeded. */
final class PruneFixtures {
    static final InputShape MNIST = new InputShape(1, 28, 28);

    private PruneFixtures() {}

    static ComputationGraph preset(ArchitecturePreset p) {
        return ModelFactory.build(Architecture.of(p), MNIST, 10, TrainSettings.defaults());
    }

    /**
     * Fresh nets have zero biases and identity batch norms, which would hide a bias or BN
     * parameter copied from the wrong unit; give every unit distinct values.
     */
    static ComputationGraph randomized(ComputationGraph net, long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < Layers.count(net); i++) {
            boolean bn = Layers.conf(net, i) instanceof BatchNormalization;
            for (Map.Entry<String, INDArray> p : Layers.at(net, i).paramTable().entrySet()) {
                if (p.getKey().equals("W")) {
                    continue;
                }
                double center = bn && p.getKey().equals("gamma") ? 1 : 0;
                INDArray v = p.getValue();
                for (long k = 0; k < v.length(); k++) {
                    v.putScalar(k, center + 0.2 * r.nextGaussian());
                }
            }
        }
        return net;
    }

    static INDArray randomInput(ComputationGraph net, int examples, long seed, boolean image) {
        Random r = new Random(seed);
        long[] shape = image ? new long[] {examples, 1, 28, 28} : new long[] {examples, 784};
        float[] x = new float[examples * 784];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) r.nextGaussian();
        }
        return Nd4j.create(x, shape, 'c').castTo(net.params().dataType());
    }

    /** A few Gaussian-noise batches: zero-mean inputs keep a random ReLU unit alive about half the time. */
    static DataSetIterator noise(int examples, boolean image, long seed) {
        Random r = new Random(seed);
        float[] x = new float[examples * 784];
        int[] y = new int[examples];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) r.nextGaussian();
        }
        for (int k = 0; k < examples; k++) {
            y[k] = r.nextInt(10);
        }
        Dataset d = new Dataset("noise", x, y, 10, 1, 28, 28, null);
        return ArrayDataSetIterator.builder(d)
                .batchSize(32)
                .shuffle(false)
                .imageShaped(image)
                .build();
    }

    /** Zeroes the consumer's weights that read the given units, so those units no longer matter. */
    static void zeroDenseRows(ComputationGraph net, int consumer, int[] units, int positionsPerUnit) {
        INDArray w = Layers.at(net, consumer).getParam("W");
        for (int u : units) {
            for (int p = 0; p < positionsPerUnit; p++) {
                w.getRow((long) u * positionsPerUnit + p).assign(0);
            }
        }
    }

    static void zeroConvInputs(ComputationGraph net, int consumer, int[] channels) {
        INDArray w = Layers.at(net, consumer).getParam("W");
        for (int c : channels) {
            w.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all())
                    .assign(0);
        }
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .sub(b.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE))
                .amaxNumber()
                .doubleValue();
    }
}
