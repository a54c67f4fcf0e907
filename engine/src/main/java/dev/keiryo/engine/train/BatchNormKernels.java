package dev.keiryo.engine.train;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalization of NCHW float32 activations in Java, channel by channel across the cores,
 * as a DL4J layer helper. DL4J's oneDNN helper computes each batch's variance with a separate ND4J
 * reduction before oneDNN normalizes, and batch norm took about a third of ResNet-20's training time
 * that way. Here each channel's values are read once into a Java array, and the statistics,
 * the normalization and, going back, the gradients are computed from it. Activations in another
 * layout or type go to the helper DL4J chose (or its own code when it chose none).
 */
public final class BatchNormKernels implements BatchNormalizationHelper {
    private static final Field HELPER = helperField();
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    private final BatchNormalizationHelper fallback;
    private INDArray meanCache;
    private INDArray varCache;
    /** Whether the last forward pass in training mode was this one's: the backward pass must match it. */
    private boolean lastOwn;

    private BatchNormKernels(BatchNormalizationHelper fallback) {
        this.fallback = fallback;
    }

    /** Gives every batch-normalization layer of {@code net} this helper (once; later calls change nothing). */
    public static void install(ComputationGraph net) {
        if (HELPER == null) {
            return;
        }
        for (Layer layer : net.getLayers()) {
            if (layer instanceof BatchNormalization bn
                    && !(bn.getHelper() instanceof BatchNormKernels)
                    && !bn.layerConf().isLockGammaBeta()) {
                try {
                    HELPER.set(bn, new BatchNormKernels((BatchNormalizationHelper) bn.getHelper()));
                } catch (IllegalAccessException e) {
                    return;
                }
            }
        }
    }

    private static Field helperField() {
        try {
            Field f = BatchNormalization.class.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static boolean covered(INDArray a, CNN2DFormat format) {
        return a.rank() == 4
                && format == CNN2DFormat.NCHW
                && a.dataType() == DataType.FLOAT
                && a.ordering() == 'c'
                && Shape.hasDefaultStridesForShape(a)
                && a.length() <= Integer.MAX_VALUE;
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return !fixedGammaBeta;
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Collections.emptyMap();
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return lastOwn || fallback == null ? meanCache : fallback.getMeanCache(dataType);
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return lastOwn || fallback == null ? varCache : fallback.getVarCache(dataType);
    }

    @Override
    public INDArray preOutput(
            INDArray x,
            boolean training,
            long[] shape,
            INDArray gamma,
            INDArray beta,
            INDArray mean,
            INDArray var,
            double decay,
            double eps,
            CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        boolean own = covered(x, format) && gamma != null && beta != null;
        if (training) {
            lastOwn = own;
        }
        if (!own) {
            return fallback == null
                    ? null
                    : fallback.preOutput(x, training, shape, gamma, beta, mean, var, decay, eps, format, workspaceMgr);
        }
        int n = (int) x.size(0);
        int c = (int) x.size(1);
        int hw = (int) (x.size(2) * x.size(3));
        float[] m = new float[c];
        float[] v = new float[c];
        if (!training) {
            FusedAdam.pointer(mean).get(m, 0, c);
            FusedAdam.pointer(var).get(v, 0, c);
        }
        float[] g = new float[c];
        float[] b = new float[c];
        FusedAdam.pointer(gamma).get(g, 0, c);
        FusedAdam.pointer(beta).get(b, 0, c);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape(), 'c');
        byChannels(c, (from, until) -> {
            // a pointer of the part's own: reading moves its position
            FloatPointer in = FusedAdam.pointer(x);
            FloatPointer to = FusedAdam.pointer(out);
            float[] a = scratch(0, n * hw);
            for (int ch = from; ch < until; ch++) {
                read(in, a, n, c, ch, hw);
                if (training) {
                    moments(a, n * hw, m, v, ch);
                }
                float scale = (float) (g[ch] / Math.sqrt(v[ch] + eps));
                float shift = b[ch] - m[ch] * scale;
                for (int i = 0; i < n * hw; i++) {
                    a[i] = a[i] * scale + shift;
                }
                write(to, a, n, c, ch, hw);
            }
        });
        if (training) {
            cache(m, v);
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(
            INDArray input,
            INDArray epsilon,
            long[] shape,
            INDArray gamma,
            INDArray beta,
            INDArray dGammaView,
            INDArray dBetaView,
            double eps,
            CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        if (!lastOwn || !covered(epsilon, format) || !covered(input, format)) {
            return fallback == null
                    ? null
                    : fallback.backpropGradient(
                            input, epsilon, shape, gamma, beta, dGammaView, dBetaView, eps, format, workspaceMgr);
        }
        int n = (int) input.size(0);
        int c = (int) input.size(1);
        int hw = (int) (input.size(2) * input.size(3));
        int count = n * hw;
        float[] m = new float[c];
        float[] v = new float[c];
        float[] g = new float[c];
        FusedAdam.pointer(meanCache).get(m, 0, c);
        FusedAdam.pointer(varCache).get(v, 0, c);
        FusedAdam.pointer(gamma).get(g, 0, c);
        float[] dGamma = new float[c];
        float[] dBeta = new float[c];
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
        byChannels(c, (from, until) -> {
            FloatPointer xs = FusedAdam.pointer(input);
            FloatPointer dys = FusedAdam.pointer(epsilon);
            FloatPointer dxs = FusedAdam.pointer(dx);
            float[] a = scratch(0, count);
            float[] dy = scratch(1, count);
            for (int ch = from; ch < until; ch++) {
                read(xs, a, n, c, ch, hw);
                read(dys, dy, n, c, ch, hw);
                float mu = m[ch];
                double sumDy = 0;
                double sumDyXmu = 0;
                for (int i = 0; i < count; i++) {
                    sumDy += dy[i];
                    sumDyXmu += dy[i] * (a[i] - mu);
                }
                double invStd = 1.0 / Math.sqrt(v[ch] + eps);
                dBeta[ch] = (float) sumDy;
                dGamma[ch] = (float) (sumDyXmu * invStd);
                // dx = gamma/std * (dy - mean(dy) - (x - mu)/var' * mean(dy * (x - mu)))
                float k = (float) (g[ch] * invStd);
                float meanDy = (float) (sumDy / count);
                float slope = (float) (sumDyXmu / count * invStd * invStd);
                for (int i = 0; i < count; i++) {
                    a[i] = k * (dy[i] - meanDy - (a[i] - mu) * slope);
                }
                write(dxs, a, n, c, ch, hw);
            }
        });
        FusedAdam.pointer(dGammaView).put(dGamma, 0, c);
        FusedAdam.pointer(dBetaView).put(dBeta, 0, c);
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor("gamma", dGammaView);
        gradient.setGradientFor("beta", dBetaView);
        return new Pair<>(gradient, dx);
    }

    /** Mean and (biased) variance of the first {@code count} values of {@code a}, into {@code m[ch]} and {@code v[ch]}. */
    private static void moments(float[] a, int count, float[] m, float[] v, int ch) {
        double s0 = 0;
        double s1 = 0;
        int i = 0;
        for (; i + 1 < count; i += 2) {
            s0 += a[i];
            s1 += a[i + 1];
        }
        for (; i < count; i++) {
            s0 += a[i];
        }
        double mu = (s0 + s1) / count;
        double q0 = 0;
        double q1 = 0;
        i = 0;
        for (; i + 1 < count; i += 2) {
            double d0 = a[i] - mu;
            double d1 = a[i + 1] - mu;
            q0 += d0 * d0;
            q1 += d1 * d1;
        }
        for (; i < count; i++) {
            double d = a[i] - mu;
            q0 += d * d;
        }
        m[ch] = (float) mu;
        v[ch] = (float) ((q0 + q1) / count);
    }

    @SuppressWarnings("try") // the scope keeps the caches out of the step's workspace; the body never names it
    private void cache(float[] m, float[] v) {
        if (meanCache == null || meanCache.length() != m.length) {
            try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                meanCache = Nd4j.create(DataType.FLOAT, m.length);
                varCache = Nd4j.create(DataType.FLOAT, v.length);
            }
        }
        FusedAdam.pointer(meanCache).put(m, 0, m.length);
        FusedAdam.pointer(varCache).put(v, 0, v.length);
    }

    /** Channel {@code ch} of every example, one plane after another, into {@code a}. */
    private static void read(FloatPointer p, float[] a, int n, int c, int ch, int hw) {
        for (int e = 0; e < n; e++) {
            p.position(((long) e * c + ch) * hw).get(a, e * hw, hw);
        }
    }

    private static void write(FloatPointer p, float[] a, int n, int c, int ch, int hw) {
        for (int e = 0; e < n; e++) {
            p.position(((long) e * c + ch) * hw).put(a, e * hw, hw);
        }
    }

    private static float[] scratch(int slot, int length) {
        float[][] s = SCRATCH.get();
        if (s[slot].length < length) {
            s[slot] = new float[length];
        }
        return s[slot];
    }

    private interface ChannelRange {
        void run(int from, int until);
    }

    /** Runs {@code work} over the channels, a share for each core. */
    private static void byChannels(int c, ChannelRange work) {
        int parts = Math.min(ShardWorkers.parallelism(), c);
        ShardWorkers.run(parts, p -> work.run(c * p / parts, c * (p + 1) / parts), false);
    }
}
