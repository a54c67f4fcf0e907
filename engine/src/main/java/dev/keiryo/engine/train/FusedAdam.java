package dev.keiryo.engine.train;

import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * ND4J's Adam step, same formula and state, as one Java pass over the block instead of the native
 * {@code adam_updater} op. On a 2-core AMD EPYC (AVX-512) the op ran at about 5 ns per parameter (1.5 ms per step for
 * LeNet-300-100, 12% of its training time); this pass copies the three vectors in and out once
 * and lets the JIT vectorise the arithmetic.
 *
 * <p>Installed on a network's updater blocks in place of {@link AdamUpdater}, sharing its state
 * views, so checkpoints, saved models and the configuration stay plain DL4J. Anything that is not
 * a dense float32 vector goes to the native op, as before.
 */
public final class FusedAdam extends AdamUpdater {
    private float[] g = new float[0];
    private float[] m = new float[0];
    private float[] v = new float[0];

    private FusedAdam(AdamUpdater original) {
        super(original.getConfig());
        setM(original.getM());
        setV(original.getV());
        setGradientReshapeOrder(original.getGradientReshapeOrder());
    }

    /**
     * Replaces plain Adam on every updater block of {@code net}; idempotent, and a no-op for
     * other updaters. Call before training: DL4J builds the updater lazily and again after a
     * network is cloned.
     */
    public static void install(ComputationGraph net) {
        Updater u = net.getUpdater(true);
        if (!(u instanceof BaseMultiLayerUpdater<?> multi)) {
            return;
        }
        for (UpdaterBlock block : multi.getUpdaterBlocks()) {
            block.init();
            GradientUpdater<?> current = block.getGradientUpdater();
            if (current != null && current.getClass() == AdamUpdater.class && ((AdamUpdater) current).getM() != null) {
                block.setGradientUpdater(replacing((AdamUpdater) current));
            }
        }
    }

    /** A fused step over {@code original}'s state views, which it keeps sharing. */
    static FusedAdam replacing(AdamUpdater original) {
        return new FusedAdam(original);
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        INDArray mv = getM();
        INDArray vv = getV();
        if (!denseFloat(gradient)
                || !denseFloat(mv)
                || !denseFloat(vv)
                || mv.length() != gradient.length()
                || vv.length() != gradient.length()
                || gradient.length() > Integer.MAX_VALUE) {
            super.applyUpdater(gradient, iteration, epoch);
            return;
        }
        Adam c = getConfig();
        int n = (int) gradient.length();
        if (g.length != n) {
            g = new float[n];
            m = new float[n];
            v = new float[n];
        }
        FloatPointer gp = pointer(gradient);
        FloatPointer mp = pointer(mv);
        FloatPointer vp = pointer(vv);
        gp.get(g, 0, n);
        mp.get(m, 0, n);
        vp.get(v, 0, n);
        step(
                g,
                m,
                v,
                n,
                (float) c.getLearningRate(iteration, epoch),
                (float) c.getBeta1(),
                (float) c.getBeta2(),
                (float) c.getEpsilon(),
                iteration);
        gp.put(g, 0, n);
        mp.put(m, 0, n);
        vp.put(v, 0, n);
    }

    /** The arithmetic of libnd4j's adam_updater in float32; the update replaces the gradient. */
    static void step(
            float[] g, float[] m, float[] v, int n, float lr, float beta1, float beta2, float epsilon, int iteration) {
        float eps = epsilon == 0f ? 1e-7f : epsilon;
        float beta1T = (float) Math.pow(beta1, iteration + 1f);
        float beta2T = (float) Math.pow(beta2, iteration + 1f);
        float stepSize = (float) (lr * (float) Math.sqrt(1.0 - beta2T) / (1.0 - beta1T));
        if (Float.isNaN(stepSize) || Float.isInfinite(stepSize) || stepSize == 0f) {
            stepSize = eps;
        }
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        for (int i = 0; i < n; i++) {
            float gi = g[i];
            float mi = beta1 * m[i] + gi * c1;
            float vi = beta2 * v[i] + gi * gi * c2;
            m[i] = mi;
            v[i] = vi;
            g[i] = mi * stepSize / ((float) Math.sqrt(vi) + eps);
        }
    }

    private static boolean denseFloat(INDArray a) {
        return a != null
                && a.dataType() == DataType.FLOAT
                && a.isVectorOrScalar()
                && a.elementWiseStride() == 1
                && !a.isEmpty();
    }

    /** The native floats of {@code a}, from its first element (views included). */
    static FloatPointer pointer(INDArray a) {
        return new FloatPointer(a.data().addressPointer());
    }
}
