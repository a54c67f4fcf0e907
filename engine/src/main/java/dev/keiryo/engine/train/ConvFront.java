package dev.keiryo.engine.train;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * The convolution and max-pooling layers in front of a dense chain (LeNet-5), trained for {@link
 * DenseChainStep} as DL4J trains them, the way PyTorch's fastest CPU setting does: the minibatch is
 * split between the cores ({@link ShardWorkers}), and each core takes its examples a few at a time
 * through every layer, unrolling each convolution's input (im2col) and calling OpenBLAS on its own
 * thread. A few examples' unrolled input, about 1 MB, stays in the core's cache from unrolling to
 * product. oneDNN's kernels at LeNet-5's 20 and 50 channels took 84% of DL4J's step.
 *
 * <p>Covers float32 convolutions with a bias, stride 1, no padding or dilation, an identity or
 * ReLU activation and no dropout or weight noise, each optionally followed by a max pooling whose
 * kernel equals its stride and by a ReLU layer of its own, all NCHW, as {@link ConvFrontInspection} checks.
 * The gradient with respect to the images is not computed.
 */
final class ConvFront {
    /** Unrolled values per chunk of examples: 1 MB of floats. */
    private static final int CHUNK_VALUES = 1 << 18;
    /** The most unrolled input a minibatch may keep: LeNet-5 at batch 128 keeps 23 MB. */
    static final long KEPT_BYTES = 512L << 20;

    private final Conv[] convs;
    private final List<Layer> layers;
    private final int lastVertex;
    /**
     * The output shape (channels, height, width) the dense layers' flattening was configured for,
     * or null: DL4J's flattening refuses any other, so this step takes no images that give one.
     */
    private final long[] expectedOutput;

    private int rows = -1;
    private int height = -1;
    private int width = -1;
    private int chunk;
    private Shard[] shards = new Shard[0];
    /** The minibatch's images, example-major as they arrive. */
    private float[] images = new float[0];
    /** The front's output, one row per example: the dense layers' input. */
    private float[] flat = new float[0];
    /** The gradient with respect to {@link #flat}. */
    private float[] flatGradient = new float[0];

    private final FloatPointer[] weights;
    private final float[][] biases;
    private float[] reduce = new float[0];
    /** The prepared minibatch's images, one contiguous row-major block. */
    private INDArray source;

    /** One convolution and the max pooling after it, and their shapes for the current image size. */
    static final class Conv {
        final Layer layer;
        final int cin;
        final int cout;
        final int kh;
        final int kw;
        final boolean relu;
        final int pool;
        int h;
        int w;
        int ho;
        int wo;
        int hp;
        int wp;
        /** The layer's gradient views, looked up on first use: they stay the network's for good. */
        Map<String, INDArray> gradients;

        Conv(Layer layer, int pool, boolean relu) {
            this.layer = layer;
            ConvolutionLayer c = (ConvolutionLayer) layer.conf().getLayer();
            this.cin = (int) c.getNIn();
            this.cout = (int) c.getNOut();
            this.kh = c.getKernelSize()[0];
            this.kw = c.getKernelSize()[1];
            this.relu = relu;
            this.pool = pool;
        }

        /** Rows of the unrolled input: one per weight of a filter. */
        int k() {
            return cin * kh * kw;
        }

        /** Output positions per example and channel, before pooling. */
        int positions() {
            return ho * wo;
        }

        int inSize() {
            return cin * h * w;
        }

        int outSize() {
            return cout * hp * wp;
        }
    }

    /** One core's share of the minibatch, examples {@code from} to {@code to}, and its buffers. */
    private static final class Shard {
        int from;
        int to;
        /** Per layer after the first, its input for this shard's examples, example-major. */
        float[][] stageIn;
        /** Per layer with pooling, the window position of each pooled output's maximum. */
        byte[][] arg;

        float[] col;
        /** Per layer, the unrolled input of all this shard's examples, chunk after chunk, kept for the weight gradient. */
        FloatPointer[] cols;

        float[] product;
        FloatPointer productNative;
        float[] unrolledGradient;
        FloatPointer unrolledGradientNative;
        float[] inputGradient;
        /** Per layer, this shard's weight gradient (summed over its chunks) and bias gradient. */
        FloatPointer[] weightGradient;

        float[][] biasGradient;

        void close() {
            for (Pointer p : new Pointer[] {productNative, unrolledGradientNative}) {
                if (p != null) {
                    p.close();
                }
            }
            for (FloatPointer[] all : new FloatPointer[][] {weightGradient, cols}) {
                for (FloatPointer p : all == null ? new FloatPointer[0] : all) {
                    p.close();
                }
            }
        }
    }

    ConvFront(List<Conv> convs, int lastVertex, long[] expectedOutput) {
        this.convs = convs.toArray(new Conv[0]);
        this.expectedOutput = expectedOutput;
        this.lastVertex = lastVertex;
        this.layers = convs.stream().map(c -> c.layer).toList();
        this.weights = new FloatPointer[this.convs.length];
        this.biases = new float[this.convs.length][];
        for (int i = 0; i < this.convs.length; i++) {
            biases[i] = new float[this.convs[i].cout];
        }
    }

    /** The graph vertex of the front's last layer, which the dense chain reads from. */
    int lastVertex() {
        return lastVertex;
    }

    /** The front's layers, input side first. */
    List<Layer> layers() {
        return layers;
    }

    /**
     * The number of values per example the front hands to the dense layers for images of {@code
     * h x w}, or -1 when an image that size is too small for a layer or not the size the network
     * was configured for.
     */
    long outputWidth(long h, long w) {
        for (Conv c : convs) {
            h = h - c.kh + 1;
            w = w - c.kw + 1;
            if (c.pool > 0) {
                h /= c.pool;
                w /= c.pool;
            }
            if (h <= 0 || w <= 0) {
                return -1;
            }
        }
        long channels = convs[convs.length - 1].cout;
        if (expectedOutput != null && !java.util.Arrays.equals(expectedOutput, new long[] {channels, h, w})) {
            return -1;
        }
        return h * w * channels;
    }

    /**
     * Whether {@code features} are images this front takes: float32 NCHW with its channels, and
     * small enough that the unrolled inputs it keeps for the weight gradients fit in {@link
     * #KEPT_BYTES}; larger ones train through DL4J, which unrolls nothing.
     */
    boolean accepts(INDArray features) {
        return features.rank() == 4
                && features.dataType() == DataType.FLOAT
                && features.size(0) > 0
                && features.size(1) == convs[0].cin
                && features.length() <= Integer.MAX_VALUE / 64
                && outputWidth(features.size(2), features.size(3)) > 0
                && keptBytes(features.size(0), features.size(2), features.size(3)) <= KEPT_BYTES;
    }

    /** The bytes of unrolled input kept for a minibatch of {@code n} images of {@code h x w}. */
    long keptBytes(long n, long h, long w) {
        long bytes = 0;
        for (Conv c : convs) {
            long ho = h - c.kh + 1;
            long wo = w - c.kw + 1;
            bytes += 4L * n * c.cin * c.kh * c.kw * ho * wo;
            h = c.pool > 0 ? ho / c.pool : ho;
            w = c.pool > 0 ? wo / c.pool : wo;
        }
        return bytes;
    }

    /**
     * Sets the front up for a minibatch of {@code features}: its split into {@link #parts}, each
     * then computed by {@link #forward(int, INDArray)} and {@link #backward(int, INDArray)} on its
     * own thread, and {@link #finish} after all.
     */
    void prepare(INDArray features) {
        buffers((int) features.size(0), (int) features.size(2), (int) features.size(3));
        source = features.ordering() == 'c' && Shape.hasDefaultStridesForShape(features) ? features : features.dup('c');
        for (int i = 0; i < convs.length; i++) {
            weights[i] = FusedAdam.pointer(convs[i].layer.getParam("W"));
            FusedAdam.pointer(convs[i].layer.getParam("b")).get(biases[i], 0, convs[i].cout);
        }
    }

    /** How many parts the prepared minibatch is split into, one per core at most. */
    int parts() {
        return shards.length;
    }

    /** The first example of part {@code p}. */
    int from(int p) {
        return shards[p].from;
    }

    /** One past the last example of part {@code p}. */
    int to(int p) {
        return shards[p].to;
    }

    /** Computes part {@code p} of the front into its rows of {@code out}, {@code n x outputWidth} row-major. */
    void forward(int p, INDArray out) {
        Shard sh = shards[p];
        int in = convs[0].inSize();
        FusedAdam.pointer(source).position((long) sh.from * in).get(images, sh.from * in, (sh.to - sh.from) * in);
        forward(sh);
        int width = convs[convs.length - 1].outSize();
        FusedAdam.pointer(out).position((long) sh.from * width).put(flat, sh.from * width, (sh.to - sh.from) * width);
    }

    /**
     * Backpropagates part {@code p}'s rows of {@code delta}, the gradient with respect to the
     * front's output ({@code n x outputWidth}, row-major), into its share of the weight and bias
     * gradients.
     */
    void backward(int p, INDArray delta) {
        Shard sh = shards[p];
        int width = convs[convs.length - 1].outSize();
        FusedAdam.pointer(delta)
                .position((long) sh.from * width)
                .get(flatGradient, sh.from * width, (sh.to - sh.from) * width);
        backward(sh);
    }

    /** Adds the parts' gradients up into the network's gradient arrays, once every part is done. */
    void finish() {
        for (int i = 0; i < convs.length; i++) {
            Conv c = convs[i];
            if (c.gradients == null) {
                c.gradients = DenseChainStep.gradientViews(c.layer);
            }
            Map<String, INDArray> g = c.gradients;
            int size = c.cout * c.k();
            float[] sum = new float[size];
            for (Shard s : shards) {
                s.weightGradient[i].get(reduce, 0, size);
                for (int r = 0; r < c.k(); r++) {
                    for (int o = 0; o < c.cout; o++) {
                        sum[o * c.k() + r] += reduce[r * c.cout + o];
                    }
                }
            }
            FusedAdam.pointer(g.get("W")).put(sum, 0, size);
            float[] bias = new float[c.cout];
            for (Shard s : shards) {
                for (int o = 0; o < c.cout; o++) {
                    bias[o] += s.biasGradient[i][o];
                }
            }
            FusedAdam.pointer(g.get("b")).put(bias, 0, c.cout);
        }
        source = null;
    }

    private void forward(Shard sh) {
        int last = convs.length - 1;
        for (int c0 = sh.from; c0 < sh.to; c0 += chunk) {
            int m = Math.min(chunk, sh.to - c0);
            for (int i = 0; i <= last; i++) {
                Conv c = convs[i];
                int np = m * c.positions();
                ConvKernels.unroll(c, input(sh, i), inputOffset(sh, i, c0), m, sh.col);
                FloatPointer col = sh.cols[i].getPointer((long) (c0 - sh.from) * c.k() * c.positions());
                col.put(sh.col, 0, c.k() * np);
                // position-major product, np x cout: 13% faster than cout x np at these shapes
                cblas_sgemm(
                        CblasRowMajor,
                        CblasTrans,
                        CblasTrans,
                        np,
                        c.cout,
                        c.k(),
                        1f,
                        col,
                        np,
                        weights[i],
                        c.k(),
                        0f,
                        sh.productNative,
                        c.cout);
                sh.productNative.get(sh.product, 0, c.cout * np);
                float[] out = output(sh, i);
                int outOffset = outputOffset(sh, i, c0);
                if (c.pool > 0) {
                    ConvKernels.maxPool(
                            c, sh.product, m, biases[i], out, outOffset, sh.arg[i], (c0 - sh.from) * c.outSize());
                } else {
                    ConvKernels.activate(c, sh.product, m, biases[i], out, outOffset);
                }
            }
        }
    }

    private void backward(Shard sh) {
        int last = convs.length - 1;
        for (int i = 0; i <= last; i++) {
            java.util.Arrays.fill(sh.biasGradient[i], 0f);
        }
        for (int c0 = sh.from; c0 < sh.to; c0 += chunk) {
            int m = Math.min(chunk, sh.to - c0);
            float beta = c0 == sh.from ? 0f : 1f;
            float[] g = flatGradient;
            int gOffset = c0 * convs[last].outSize();
            for (int i = last; i >= 0; i--) {
                Conv c = convs[i];
                int np = m * c.positions();
                ConvKernels.outputGradient(
                        c,
                        g,
                        gOffset,
                        output(sh, i),
                        outputOffset(sh, i, c0),
                        sh.product,
                        sh.biasGradient[i],
                        sh.arg[i],
                        (c0 - sh.from) * c.outSize(),
                        m);
                sh.productNative.put(sh.product, 0, c.cout * np);
                FloatPointer col = sh.cols[i].getPointer((long) (c0 - sh.from) * c.k() * c.positions());
                // the transposed weight gradient, k x cout: 15% faster than cout x k at these shapes
                cblas_sgemm(
                        CblasRowMajor,
                        CblasNoTrans,
                        CblasTrans,
                        c.k(),
                        c.cout,
                        np,
                        1f,
                        col,
                        np,
                        sh.productNative,
                        np,
                        beta,
                        sh.weightGradient[i],
                        c.cout);
                if (i == 0) {
                    break;
                }
                cblas_sgemm(
                        CblasRowMajor,
                        CblasTrans,
                        CblasNoTrans,
                        c.k(),
                        np,
                        c.cout,
                        1f,
                        weights[i],
                        c.k(),
                        sh.productNative,
                        np,
                        0f,
                        sh.unrolledGradientNative,
                        np);
                sh.unrolledGradientNative.get(sh.unrolledGradient, 0, c.k() * np);
                ConvKernels.roll(c, sh.unrolledGradient, m, sh.inputGradient);
                g = sh.inputGradient;
                gOffset = 0;
            }
        }
    }

    private float[] input(Shard sh, int i) {
        return i == 0 ? images : sh.stageIn[i];
    }

    private int inputOffset(Shard sh, int i, int c0) {
        return (i == 0 ? c0 : c0 - sh.from) * convs[i].inSize();
    }

    private float[] output(Shard sh, int i) {
        return i == convs.length - 1 ? flat : sh.stageIn[i + 1];
    }

    private int outputOffset(Shard sh, int i, int c0) {
        return (i == convs.length - 1 ? c0 : c0 - sh.from) * convs[i].outSize();
    }

    private void buffers(int n, int h, int w) {
        if (n == rows && h == height && w == width) {
            return;
        }
        rows = n;
        height = h;
        width = w;
        long unrolledPerExample = 0;
        for (Conv c : convs) {
            c.h = h;
            c.w = w;
            c.ho = h - c.kh + 1;
            c.wo = w - c.kw + 1;
            c.hp = c.pool > 0 ? c.ho / c.pool : c.ho;
            c.wp = c.pool > 0 ? c.wo / c.pool : c.wo;
            // the products are cout wide: as large as the unrolled input, or larger
            unrolledPerExample = Math.max(unrolledPerExample, (long) Math.max(c.k(), c.cout) * c.positions());
            h = c.hp;
            w = c.wp;
        }
        int parts = Math.max(1, Math.min(ShardWorkers.parallelism(), n / 8));
        chunk = (int) Math.max(1, Math.min((n + parts - 1) / parts, CHUNK_VALUES / unrolledPerExample));
        for (Shard s : shards) {
            s.close();
        }
        shards = new Shard[parts];
        for (int p = 0; p < parts; p++) {
            shards[p] = shard((int) ((long) n * p / parts), (int) ((long) n * (p + 1) / parts));
        }
        Conv first = convs[0];
        Conv last = convs[convs.length - 1];
        images = new float[n * first.inSize()];
        flat = new float[n * last.outSize()];
        flatGradient = new float[flat.length];
        int widest = 0;
        for (Conv c : convs) {
            widest = Math.max(widest, c.cout * c.k());
        }
        reduce = new float[widest];
    }

    private Shard shard(int from, int to) {
        Shard s = new Shard();
        s.from = from;
        s.to = to;
        int m = to - from;
        int layers = convs.length;
        s.stageIn = new float[layers][];
        s.arg = new byte[layers][];
        s.weightGradient = new FloatPointer[layers];
        s.cols = new FloatPointer[layers];
        s.biasGradient = new float[layers][];
        long col = 0;
        long product = 0;
        long unrolledGradient = 0;
        long inputGradient = 0;
        for (int i = 0; i < layers; i++) {
            Conv c = convs[i];
            s.stageIn[i] = i == 0 ? new float[0] : new float[m * c.inSize()];
            s.arg[i] = new byte[c.pool > 0 ? m * c.outSize() : 0];
            s.weightGradient[i] = new FloatPointer((long) c.cout * c.k());
            s.cols[i] = new FloatPointer((long) c.k() * c.positions() * m);
            s.biasGradient[i] = new float[c.cout];
            col = Math.max(col, (long) c.k() * chunk * c.positions());
            product = Math.max(product, (long) c.cout * chunk * c.positions());
            if (i > 0) {
                unrolledGradient = Math.max(unrolledGradient, (long) c.k() * chunk * c.positions());
                inputGradient = Math.max(inputGradient, (long) chunk * c.inSize());
            }
        }
        s.col = new float[(int) col];
        s.product = new float[(int) product];
        s.productNative = new FloatPointer(product);
        s.unrolledGradient = new float[(int) unrolledGradient];
        s.unrolledGradientNative = new FloatPointer(Math.max(1, unrolledGradient));
        s.inputGradient = new float[(int) inputGradient];
        return s;
    }
}
