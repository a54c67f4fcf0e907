package dev.keiryo.engine.compress.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.train.TrainSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Networks with known sparsity, and bit-level comparisons, for the pack tests. */
final class TestNets {
    static final InputShape MNIST = new InputShape(1, 28, 28);

    private TestNets() {}

    static KeiryoModel model(ArchitecturePreset preset) {
        ComputationGraph net = ModelFactory.build(Architecture.of(preset), MNIST, 10, TrainSettings.defaults());
        return new KeiryoModel(
                net,
                new ModelMeta(
                        ModelMeta.FORMAT_VERSION,
                        preset.id(),
                        MNIST,
                        preset.convolutional(),
                        10,
                        List.of("t-shirt", "trouser"),
                        Normalizer.scale(255f)));
    }

    /** A copy of {@code m} whose every parameter is random and non-zero, then exactly {@code zeros} of each zeroed. */
    static KeiryoModel sparse(KeiryoModel m, double zeros, long seed) {
        ComputationGraph net = m.net().clone();
        Random r = new Random(seed);
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            INDArray p = e.getValue();
            int n = (int) p.length();
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                // Away from zero, so "0% zeros" really has none; small, so activations stay in range.
                float mag = 0.01f + 0.1f * r.nextFloat();
                v[i] = r.nextBoolean() ? mag : -mag;
            }
            int[] order = shuffled(n, r);
            int k = (int) Math.round(zeros * n);
            for (int i = 0; i < k; i++) {
                v[order[i]] = 0f;
            }
            p.assign(Nd4j.create(v, p.shape(), 'c').castTo(p.dataType()));
        }
        return new KeiryoModel(net, m.meta());
    }

    /**
     * Zeroes the smallest-magnitude {@code zeros} fraction of every weight matrix (biases untouched)
     * the way pruning code does, by multiplying with a 0/1 mask: pruned negative weights become -0.0.
     */
    static KeiryoModel magnitudePruned(KeiryoModel m, double zeros) {
        ComputationGraph net = m.net().clone();
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            if (e.getKey().endsWith("_W")) {
                INDArray w = e.getValue();
                float[] mags = Nd4j.toFlattened('c', w).reshape(w.length()).toFloatVector();
                for (int i = 0; i < mags.length; i++) {
                    mags[i] = Math.abs(mags[i]);
                }
                Arrays.sort(mags);
                int k = (int) Math.round(zeros * mags.length);
                float threshold = k == 0 ? -1 : mags[k - 1];
                w.muli(Transforms.abs(w).gt(threshold).castTo(w.dataType()));
            }
        }
        return new KeiryoModel(net, m.meta());
    }

    static long negativeZeros(INDArray a) {
        return Arrays.stream(bits(a)).filter(b -> b == 0x8000_0000).count();
    }

    static INDArray input(ArchitecturePreset preset, int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return preset.convolutional() ? Nd4j.rand(DataType.FLOAT, n, 1, 28, 28) : Nd4j.rand(DataType.FLOAT, n, 784);
    }

    static int[] bits(INDArray a) {
        float[] f = Nd4j.toFlattened('c', a)
                .castTo(DataType.FLOAT)
                .reshape(a.length())
                .toFloatVector();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    /** Same parameters (bit for bit, a zero's sign aside) and the same outputs, bit for bit. */
    static void assertIdentical(ComputationGraph expected, ComputationGraph actual, INDArray x) {
        assertEquals(expected.paramTable().keySet(), actual.paramTable().keySet());
        for (String k : expected.paramTable().keySet()) {
            assertArrayEquals(
                    zeroSignless(bits(expected.getParam(k))), zeroSignless(bits(actual.getParam(k))), "parameter " + k);
        }
        assertArrayEquals(bits(expected.outputSingle(x)), bits(actual.outputSingle(x)), "outputs");
    }

    private static int[] zeroSignless(int[] bits) {
        return Arrays.stream(bits).map(b -> b == 0x8000_0000 ? 0 : b).toArray();
    }

    private static int[] shuffled(int n, Random r) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
