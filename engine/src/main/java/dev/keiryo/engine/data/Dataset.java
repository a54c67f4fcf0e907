package dev.keiryo.engine.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A labelled data set held as one flat row-major {@code float[]} so that batching is a plain array
 * copy and a 60,000-image set costs one allocation instead of 60,000.
 *
 * <p>Immutable by contract: the arrays returned by {@link #features()} and {@link #labels()} are
 * the internal ones (copying 190 MB on every access would defeat the layout) and must not be
 * modified. Feature values are raw as read (0..255 for IDX images); normalisation is applied per
 * batch by the iterator so that the same raw data can be fed through different normalisations.
 *
 * <p>A data set too large for memory is <em>streamed</em>: it holds its image files instead of
 * the array, and {@link #read} decodes an example whenever it is needed. Labels stay in memory
 * (they come from the folder names), so splits and subsets work the same on both kinds, and
 * {@link ArrayDataSetIterator} decodes streamed minibatches ahead of the trainer on background
 * threads. {@link #features()} exists only for data held in memory.
 */
public final class Dataset {
    /** Fashion-MNIST's class names in label order, as published by Zalando Research. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** MNIST's class names: the digits. */
    public static final List<String> MNIST_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private final String name;
    /** Null when streamed. */
    private final float[] features;
    /** Null when held in memory. */
    private final ImageFiles files;

    private final int[] labels;
    private final int numClasses;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;

    /**
     * @param classNames one name per class, or an empty list / {@code null} when classes are
     *     only numbered
     * @throws IllegalArgumentException if the parts do not fit together (a programming error:
     *     readers validate user input before constructing)
     */
    public Dataset(
            String name,
            float[] features,
            int[] labels,
            int numClasses,
            int channels,
            int height,
            int width,
            List<String> classNames) {
        this(
                name,
                Objects.requireNonNull(features, "features"),
                null,
                labels,
                numClasses,
                channels,
                height,
                width,
                classNames);
    }

    /** A streamed image data set: {@code labels[i]} is the class of {@code files}' image {@code i}. */
    Dataset(String name, ImageFiles files, int[] labels, int numClasses, List<String> classNames) {
        this(
                name,
                null,
                Objects.requireNonNull(files, "files"),
                labels,
                numClasses,
                files.channels(),
                files.side(),
                files.side(),
                classNames);
    }

    private Dataset(
            String name,
            float[] features,
            ImageFiles files,
            int[] labels,
            int numClasses,
            int channels,
            int height,
            int width,
            List<String> classNames) {
        this.name = Objects.requireNonNull(name, "name");
        this.features = features;
        this.files = files;
        this.labels = Objects.requireNonNull(labels, "labels");
        this.classNames = classNames == null ? List.of() : List.copyOf(classNames);
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        long d = (long) channels * height * width;
        if (files != null ? files.size() != labels.length : (long) labels.length * d != features.length) {
            throw new IllegalArgumentException(
                    (files != null ? files.size() + " files" : "features has " + features.length + " values")
                            + ", expected " + labels.length + " x " + d);
        }
        if (!this.classNames.isEmpty() && this.classNames.size() != numClasses) {
            throw new IllegalArgumentException(this.classNames.size() + " class names for " + numClasses + " classes");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(
                        "label " + labels[i] + " at index " + i + " is outside 0.." + (numClasses - 1));
            }
        }
        this.numClasses = numClasses;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /** A tabular data set: shape 1 x 1 x featureCount. */
    public static Dataset tabular(
            String name, float[] features, int[] labels, int numClasses, int featureCount, List<String> classNames) {
        return new Dataset(name, features, labels, numClasses, 1, 1, featureCount, classNames);
    }

    public String name() {
        return name;
    }

    /** The internal row-major N x D array; do not modify. Only for data held in memory. */
    public float[] features() {
        if (features == null) {
            throw new IllegalStateException(name + " is streamed from disk and has no features array; read examples"
                    + " one by one with read(), or through an ArrayDataSetIterator");
        }
        return features;
    }

    /** True when the examples are image files decoded on demand rather than held in memory. */
    public boolean streamed() {
        return files != null;
    }

    /**
     * Copies example {@code i}'s raw features into {@code dst} from {@code offset}; decodes its
     * image when streamed (safe to call from several threads at once).
     */
    public void read(int i, float[] dst, int offset) {
        if (files != null) {
            files.read(i, dst, offset);
        } else {
            int d = featureCount();
            System.arraycopy(features, i * d, dst, offset, d);
        }
    }

    /** The image file of example {@code i} of a streamed data set. */
    Path file(int i) {
        return files.file(i);
    }

    /** The internal label array; do not modify. */
    public int[] labels() {
        return labels;
    }

    public int numClasses() {
        return numClasses;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** One name per class, or an empty list when the classes are only numbered. */
    public List<String> classNames() {
        return classNames;
    }

    /** The name of class {@code k}, falling back to its number. */
    public String className(int k) {
        return classNames.isEmpty() ? Integer.toString(k) : classNames.get(k);
    }

    /** True for image data (height > 1), which a convolutional net can take as [C, H, W]. */
    public boolean isImage() {
        return height > 1;
    }

    public int size() {
        return labels.length;
    }

    /** D = channels x height x width. */
    public int featureCount() {
        return channels * height * width;
    }

    public int label(int i) {
        return labels[i];
    }

    /** Feature {@code j} of example {@code i}, without copying the row. */
    public float feature(int i, int j) {
        return features == null ? row(i)[j] : features[i * featureCount() + j];
    }

    /** A copy of example {@code i}'s features. */
    public float[] row(int i) {
        float[] out = new float[featureCount()];
        read(i, out, 0);
        return out;
    }

    /** The examples at {@code indices}, in that order, copied once into a new data set. */
    public Dataset subset(int[] indices) {
        return subset(indices, name);
    }

    /** As {@link #subset(int[])}, under a new name. */
    public Dataset subset(int[] indices, String newName) {
        if (files != null) {
            int[] l = new int[indices.length];
            for (int k = 0; k < indices.length; k++) {
                l[k] = labels[indices[k]];
            }
            return new Dataset(newName, files.subset(indices), l, numClasses, classNames);
        }
        int d = featureCount();
        float[] f = new float[Math.multiplyExact(indices.length, d)];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= labels.length) {
                throw new IndexOutOfBoundsException("index " + i + " outside 0.." + (labels.length - 1));
            }
            System.arraycopy(features, i * d, f, k * d, d);
            l[k] = labels[i];
        }
        return new Dataset(newName, f, l, numClasses, channels, height, width, classNames);
    }

    /** A data set sharing this one's arrays under another name. */
    public Dataset withName(String newName) {
        return new Dataset(newName, features, files, labels, numClasses, channels, height, width, classNames);
    }

    /** How many examples each class has, indexed by class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return name + " (" + size() + " examples, " + channels + "x" + height + "x" + width + ", " + numClasses
                + " classes" + (files != null ? ", streamed from disk" : "") + ")";
    }
}
