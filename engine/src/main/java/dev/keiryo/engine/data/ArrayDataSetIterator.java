package dev.keiryo.engine.data;

import dev.keiryo.engine.api.KeiryoException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Minibatches over a {@link Dataset} for DL4J. Each epoch visits the examples in an order that
 * depends only on (seed, epoch number), so a run resumed at epoch k sees exactly the batches an
 * uninterrupted run would. Only the batch being built is copied and normalised; the data set's
 * arrays are shared, never duplicated per epoch.
 *
 * <p>An {@link Augmentation}, when given, changes each training image at random before
 * normalisation, drawn from a generator seeded by (seed, epoch, minibatch), so a resumed run sees
 * the same images too, whichever thread builds the minibatch. Evaluation iterators are built
 * without one.
 *
 * <p>A {@link Dataset#streamed() streamed} data set's minibatches are built (decoded, resized,
 * augmented, normalised) on background threads, at most {@link #prefetch()} of them ahead of the
 * consumer, so memory holds only those; in-memory minibatches are built on the caller's thread.
 * Both are the same minibatches: {@link #streamStats()} says how long the caller waited for them.
 *
 * <p>{@link #reset()} moves to the next epoch, but only once a batch has been drawn: DL4J and
 * callers reset defensively before iterating, and that must not skip an epoch's order. Not
 * thread-safe, like DL4J's own iterators.
 */
public final class ArrayDataSetIterator implements DataSetIterator {
    private static final long serialVersionUID = 1L;
    /** What prefetched minibatches may hold, unless that is fewer than one per decoding thread plus one. */
    static final long PREFETCH_BYTES = 64L << 20;

    static final int MAX_AHEAD = 16;

    private final Dataset data;
    private final Normalizer normalization;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final boolean imageShaped;
    private final int maxBatches;
    private final float[] packed;
    private final int packedWidth;
    private final Augmentation augmentation;
    private final int ahead;
    private final LongAdder buildNanos = new LongAdder();
    /** The order of this epoch; a new array each epoch, since streamed minibatches still being built read it. */
    private int[] order;

    private Prefetch<Batch> prefetch;
    private long waitNanos;
    private long batchesTotal;
    private long examplesTotal;
    private int largestWindow;
    private int epoch;
    private int cursor;
    private int batchesDrawn;
    private DataSetPreProcessor preProcessor;

    private ArrayDataSetIterator(Builder b) {
        this.data = b.data;
        this.normalization = b.normalization;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.shuffle = b.shuffle;
        this.imageShaped = b.imageShaped && b.data.isImage();
        this.maxBatches = b.maxBatches;
        this.packed = b.packed;
        this.packedWidth = b.packedWidth;
        this.augmentation = b.augmentation;
        long batchBytes = 4L * batchSize * (data.featureCount() + data.numClasses() + packedWidth);
        this.ahead = b.prefetch > 0
                ? b.prefetch
                : (int) Math.max(Prefetch.THREADS + 1, Math.min(MAX_AHEAD, PREFETCH_BYTES / batchBytes));
        startAtEpoch(b.startEpoch);
    }

    public static Builder builder(Dataset data) {
        return new Builder(data);
    }

    /** Options; defaults: no normalisation, batch 64, seed 0, shuffled, flat rows, no limit. */
    public static final class Builder {
        private final Dataset data;
        private Normalizer normalization = Normalizer.none();
        private int batchSize = 64;
        private long seed;
        private boolean shuffle = true;
        private boolean imageShaped;
        private int startEpoch;
        private int maxBatches = Integer.MAX_VALUE;
        private float[] packed;
        private int packedWidth;
        private Augmentation augmentation;
        private int prefetch;

        private Builder(Dataset data) {
            this.data = Objects.requireNonNull(data, "data");
        }

        public Builder normalization(Normalizer n) {
            this.normalization = Objects.requireNonNull(n, "normalization");
            return this;
        }

        public Builder batchSize(int size) {
            if (size < 1) {
                throw new KeiryoException("The batch size is " + size + " but must be at least 1; " + "use e.g. 64.");
            }
            this.batchSize = size;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** False visits examples in data set order every epoch (for evaluation). */
        public Builder shuffle(boolean s) {
            this.shuffle = s;
            return this;
        }

        /** True gives image data as [batch, C, H, W] for convolutional nets; ignored for tables. */
        public Builder imageShaped(boolean s) {
            this.imageShaped = s;
            return this;
        }

        /** The epoch number to begin at, for resuming a run. */
        public Builder startEpoch(int e) {
            if (e < 0) {
                throw new IllegalArgumentException("startEpoch must be >= 0, got " + e);
            }
            this.startEpoch = e;
            return this;
        }

        /** Ends each epoch after the first {@code k} batches, for quick smoke runs. */
        public Builder maxBatches(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("maxBatches must be >= 1, got " + k);
            }
            this.maxBatches = k;
            return this;
        }

        /**
         * Appends {@code width} values per example after the one-hot label, so a loss can read
         * per-example targets computed once (distillation packs the teacher's logits this way).
         * {@code values} is row-major N x width in data set order and is shared, not copied.
         */
        public Builder packedTargets(float[] values, int width) {
            if (width < 1 || values == null || values.length != (long) data.size() * width) {
                throw new IllegalArgumentException(
                        "packed targets must hold " + data.size() + " x " + width + " values");
            }
            this.packed = values;
            this.packedWidth = width;
            return this;
        }

        /**
         * Changes every image at random, anew each epoch; for training iterators only (null for
         * none). The data must be images.
         */
        public Builder augmentation(Augmentation a) {
            if (a != null && !data.isImage()) {
                throw new KeiryoException("Augmentation (" + a + ") needs images but " + data.name() + " is a table of "
                        + data.featureCount() + " features; set data.augment to none.");
            }
            this.augmentation = a;
            return this;
        }

        /**
         * Streamed data only: minibatches built ahead of the consumer; by default as many as fit in
         * {@value #PREFETCH_BYTES} bytes, at most {@value #MAX_AHEAD}, at least one per decoding thread plus one.
         */
        public Builder prefetch(int batches) {
            if (batches < 1) {
                throw new IllegalArgumentException("prefetch must be >= 1, got " + batches);
            }
            this.prefetch = batches;
            return this;
        }

        public ArrayDataSetIterator build() {
            int fitted = normalization.featureCount();
            if (fitted >= 0 && fitted != data.featureCount()) {
                throw new KeiryoException("The normalisation was fitted on " + fitted + " features but "
                        + data.name() + " has " + data.featureCount() + "; refit it on this data's "
                        + "training set.");
            }
            return new ArrayDataSetIterator(this);
        }
    }

    /** Jumps to the start of epoch {@code e} with that epoch's order. */
    public void startAtEpoch(int e) {
        if (e < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + e);
        }
        if (prefetch != null) {
            prefetch.close();
            prefetch = null;
        }
        epoch = e;
        cursor = 0;
        batchesDrawn = 0;
        order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            // Rebuilt from the identity each time, so the order is a function of (seed, epoch) alone.
            Splits.shuffle(order, new Random(mix(seed, e)));
        }
    }

    /** Streamed minibatches built ahead of the consumer at most. */
    public int prefetch() {
        return ahead;
    }

    /** How the minibatches handed out so far were made, and how long the caller waited for them. */
    public StreamStats streamStats() {
        return new StreamStats(
                data.streamed(),
                batchesTotal,
                examplesTotal,
                waitNanos,
                buildNanos.sum(),
                data.streamed() ? Prefetch.THREADS : 1,
                data.streamed() ? ahead : 0,
                largestWindow);
    }

    /** The augmentation applied to each batch, or null. */
    public Augmentation augmentation() {
        return augmentation;
    }

    /** The epoch being iterated, counting from the start epoch. */
    public int epoch() {
        return epoch;
    }

    public Dataset dataset() {
        return data;
    }

    public Normalizer normalization() {
        return normalization;
    }

    /** Batches per epoch, after the {@code maxBatches} limit. */
    public int batchesPerEpoch() {
        return Math.min(maxBatches, (data.size() + batchSize - 1) / batchSize);
    }

    /** Examples in the data set (an epoch limited by {@code maxBatches} sees fewer). */
    public int totalExamples() {
        return data.size();
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length && batchesDrawn < maxBatches;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " is finished; call reset()");
        }
        long t0 = System.nanoTime();
        Batch b;
        if (data.streamed()) {
            if (num != batchSize) {
                throw new IllegalArgumentException(
                        "a streamed iterator hands out minibatches of " + batchSize + ", not " + num);
            }
            if (prefetch == null) {
                int[] o = order;
                int e = epoch;
                prefetch = new Prefetch<>(
                        batchesPerEpoch(),
                        ahead,
                        k -> build(o, e, k * batchSize, Math.min(batchSize, o.length - k * batchSize), k),
                        buildNanos);
            }
            b = prefetch.next();
            largestWindow = Math.max(largestWindow, prefetch.largestWindow());
        } else {
            long b0 = System.nanoTime();
            b = build(order, epoch, cursor, Math.min(num, order.length - cursor), batchesDrawn);
            buildNanos.add(System.nanoTime() - b0);
        }
        cursor += b.count();
        batchesDrawn++;
        long[] shape = imageShaped
                ? new long[] {b.count(), data.channels(), data.height(), data.width()}
                : new long[] {b.count(), data.featureCount()};
        INDArray features = offHeap(b.x(), shape);
        INDArray labels = offHeap(b.y(), new long[] {b.count(), data.numClasses() + packedWidth});
        waitNanos += System.nanoTime() - t0;
        batchesTotal++;
        examplesTotal += b.count();
        DataSet batch = new DataSet(features, labels);
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    /** A minibatch's values before they go to native memory. */
    private record Batch(float[] x, float[] y, int count) {}

    /**
     * Minibatch {@code index} of an epoch: examples {@code order[start..start+count)}, augmented and
     * normalised. Reads only final state and its arguments, so any thread may build it.
     */
    private Batch build(int[] order, int epoch, int start, int count, int index) {
        int d = data.featureCount();
        int c = data.numClasses();
        int w = c + packedWidth;
        float[] x = new float[count * d];
        float[] y = new float[count * w];
        for (int k = 0; k < count; k++) {
            int i = order[start + k];
            data.read(i, x, k * d);
            y[k * w + data.label(i)] = 1f;
            if (packed != null) {
                System.arraycopy(packed, i * packedWidth, y, k * w + c, packedWidth);
            }
        }
        if (augmentation != null) {
            // Its own stream: turning augmentation on must not change the order of the examples.
            augmentation.apply(
                    x, count, data.channels(), data.height(), data.width(), new Random(mix(mix(~seed, epoch), index)));
        }
        normalization.applyInPlace(x, 0, x.length);
        return new Batch(x, y, count);
    }

    /**
     * One bulk copy into native memory: {@code Nd4j.create(float[])} stores element by element,
     * which cost more per minibatch than LeNet-300-100's forward pass (on a 2-core AMD EPYC (AVX-512)).
     */
    private static INDArray offHeap(float[] values, long[] shape) {
        INDArray a = Nd4j.createUninitializedDetached(DataType.FLOAT, shape);
        new FloatPointer(a.data().addressPointer()).put(values, 0, values.length);
        return a;
    }

    @Override
    public void reset() {
        startAtEpoch(batchesDrawn > 0 ? epoch + 1 : epoch);
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    // In-memory batches are cheap array copies, and streamed ones are prefetched here already.
    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int inputColumns() {
        return data.featureCount();
    }

    @Override
    public int totalOutcomes() {
        return data.numClasses();
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    /** The class names, or the class numbers as text when the data set has no names. */
    @Override
    public List<String> getLabels() {
        List<String> names = new ArrayList<>(data.numClasses());
        for (int k = 0; k < data.numClasses(); k++) {
            names.add(data.className(k));
        }
        return names;
    }

    /** SplitMix64's finaliser, so neighbouring (seed, epoch) pairs give unrelated orders. */
    private static long mix(long seed, int epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
