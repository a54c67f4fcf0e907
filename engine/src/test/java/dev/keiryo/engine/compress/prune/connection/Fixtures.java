package dev.keiryo.engine.compress.prune.connection;

import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.train.Updaters;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;

/** Tiny networks and data, seeded, so every pruning test is quick and repeatable. */
final class Fixtures {
    static final int FEATURES = 8;
    static final int CLASSES = 3;
    static final InputShape IMAGE = new InputShape(1, 28, 28);

    private Fixtures() {}

    /** Adam with weight decay: both revive pruned weights unless a constraint holds them at zero. */
    static TrainSettings adamWithDecay() {
        return new TrainSettings(Updaters.ADAM, 1e-2, 16, 1, DataType.FLOAT, 1e-2, 0, 0, 7);
    }

    /** dense1 (8x16), dense2 (16x12), output (12x3). */
    static ComputationGraph mlp() {
        return ModelFactory.build(
                new Architecture(ArchitecturePreset.MLP, 1.0, List.of(16, 12), 0),
                InputShape.flat(FEATURES),
                CLASSES,
                adamWithDecay());
    }

    /** LeNet-5's layer layout (conv1, pool1, conv2, pool2, dense1, output) at a tenth of its width. */
    static ComputationGraph smallLenet() {
        return ModelFactory.build(
                new Architecture(ArchitecturePreset.LENET5, 0.1, null, 0), IMAGE, 10, adamWithDecay());
    }

    static ComputationGraph lenet5() {
        return ModelFactory.build(Architecture.of(ArchitecturePreset.LENET5), IMAGE, 10, adamWithDecay());
    }

    static Dataset table(int examples, long seed) {
        Random r = new Random(seed);
        float[] x = new float[examples * FEATURES];
        int[] y = new int[examples];
        for (int i = 0; i < examples; i++) {
            y[i] = i % CLASSES;
            for (int j = 0; j < FEATURES; j++) {
                x[i * FEATURES + j] = (float) (r.nextGaussian() + (j == y[i] ? 2 : 0));
            }
        }
        return Dataset.tabular("blobs", x, y, CLASSES, FEATURES, null);
    }

    static ArrayDataSetIterator iterator(int examples, int batch, long seed) {
        return ArrayDataSetIterator.builder(table(examples, seed))
                .batchSize(batch)
                .seed(seed)
                .build();
    }

    static DataSet batch(int examples, long seed) {
        return iterator(examples, examples, seed).next();
    }

    static INDArray images(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 28 * 28];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        return Nd4j.create(x, new long[] {n, 1, 28, 28}, 'c');
    }

    static long zeros(INDArray a) {
        return a.scan(Conditions.equals(0.0)).longValue();
    }

    /** True when every position the mask prunes holds exactly 0 in {@code param}. */
    static boolean prunedAreZero(INDArray param, INDArray mask) {
        INDArray p = param.dup('c');
        INDArray m = mask.castTo(p.dataType()).dup('c');
        float[] pv = p.data().asFloat();
        float[] mv = m.data().asFloat();
        for (int i = 0; i < pv.length; i++) {
            if (mv[i] == 0f && pv[i] != 0f) {
                return false;
            }
        }
        return true;
    }
}
