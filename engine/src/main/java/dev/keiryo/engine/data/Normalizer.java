package dev.keiryo.engine.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.keiryo.engine.api.KeiryoException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * How raw feature values are mapped before they reach the network. Its parameters are fitted on the
 * training set only (fitting on test data would leak it into training) and saved with a run as a
 * plain JSON record, so evaluation later applies exactly the same mapping.
 *
 * @param kind the mapping
 * @param divisor for {@code scale}: values are divided by it; 1 otherwise
 * @param mean for {@code standardize}: per-feature training mean; null otherwise
 * @param std for {@code standardize}: per-feature training standard deviation (constant features
 *     get 1 so they map to 0 instead of NaN); null otherwise
 * @param plane for {@code per-channel}: values per channel (height x width), with {@code mean} and
 *     {@code std} holding one entry per channel; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Normalizer(Kind kind, float divisor, float[] mean, float[] std, Integer plane) {

    public enum Kind {
        /** Raw values unchanged. */
        NONE,
        /** Divide by 255 for images, by the largest absolute training value otherwise. */
        SCALE,
        /** Subtract the per-feature mean and divide by the per-feature standard deviation. */
        STANDARDIZE,
        /** As standardize, with one mean and deviation per colour channel over all its pixels. */
        PER_CHANNEL;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @JsonCreator
        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.id().equalsIgnoreCase(s == null ? "" : s.strip())) {
                    return k;
                }
            }
            throw new KeiryoException(
                    "Unknown normalisation '" + s + "'; use one of none, scale, standardize, per-channel.");
        }
    }

    public Normalizer {
        if (kind == null) {
            throw new KeiryoException("The normalisation has no kind; set kind to none, scale or " + "standardize.");
        }
        if (kind != Kind.SCALE) {
            divisor = 1f;
        }
        if (kind == Kind.SCALE && !(divisor > 0 && Float.isFinite(divisor))) {
            throw new KeiryoException("The scale normalisation's divisor is " + divisor
                    + " but must be a positive finite number; refit it on the training data.");
        }
        if (kind != Kind.PER_CHANNEL) {
            plane = null;
        } else if (plane == null || plane < 1) {
            throw new KeiryoException("The per-channel normalisation has no pixel count per channel (plane); "
                    + "refit it on the training data.");
        }
        if (kind == Kind.STANDARDIZE || kind == Kind.PER_CHANNEL) {
            if (mean == null || std == null || mean.length != std.length || mean.length == 0) {
                throw new KeiryoException("The standardize normalisation needs mean and std arrays of "
                        + "the same non-zero length; refit it on the training data.");
            }
            for (int j = 0; j < std.length; j++) {
                if (!Float.isFinite(mean[j]) || !(std[j] > 0 && Float.isFinite(std[j]))) {
                    throw new KeiryoException("The standardize normalisation has mean " + mean[j]
                            + " and std " + std[j] + " for feature " + j + "; std must be positive and "
                            + "both finite, refit it on the training data.");
                }
            }
            mean = mean.clone();
            std = std.clone();
        }
    }

    public static Normalizer none() {
        return new Normalizer(Kind.NONE, 1f, null, null, null);
    }

    public static Normalizer scale(float divisor) {
        return new Normalizer(Kind.SCALE, divisor, null, null, null);
    }

    /** Fits {@code kind} on the training set; never pass validation or test data here. */
    public static Normalizer fit(Kind kind, Dataset train) {
        if (train.streamed() && (kind == Kind.STANDARDIZE || kind == Kind.PER_CHANNEL)) {
            return fitStreamed(kind, train);
        }
        return switch (kind) {
            case NONE -> none();
            case SCALE -> scale(train.isImage() ? 255f : maxAbs(train));
            case STANDARDIZE -> standardize(train);
            case PER_CHANNEL -> perChannel(train);
        };
    }

    /** As {@link #fit(Kind, Dataset)} with the kind given by its name. */
    public static Normalizer fit(String kind, Dataset train) {
        return fit(Kind.parse(kind), train);
    }

    /** The normalised copy of one row, or of a batch of rows laid end to end. */
    public float[] apply(float[] rowOrBatch) {
        float[] out = rowOrBatch.clone();
        applyInPlace(out, 0, out.length);
        return out;
    }

    /**
     * Normalises {@code values[offset, offset + length)} in place; {@code offset} must be the start
     * of a row so that standardisation lines features up with their statistics.
     */
    public void applyInPlace(float[] values, int offset, int length) {
        switch (kind) {
            case NONE -> {}
            case SCALE -> {
                float inv = 1f / divisor;
                for (int i = offset; i < offset + length; i++) {
                    values[i] *= inv;
                }
            }
            case STANDARDIZE -> {
                int d = mean.length;
                if (length % d != 0) {
                    throw new IllegalArgumentException(length + " values are not whole rows of " + d);
                }
                for (int i = offset, j = 0; i < offset + length; i++) {
                    values[i] = (values[i] - mean[j]) / std[j];
                    if (++j == d) {
                        j = 0;
                    }
                }
            }
            case PER_CHANNEL -> {
                int channels = mean.length;
                if (length % (channels * plane) != 0) {
                    throw new IllegalArgumentException(
                            length + " values are not whole rows of " + channels + " x " + plane);
                }
                for (int i = offset; i < offset + length; ) {
                    for (int c = 0; c < channels; c++) {
                        float m = mean[c];
                        float inv = 1f / std[c];
                        for (int end = i + plane; i < end; i++) {
                            values[i] = (values[i] - m) * inv;
                        }
                    }
                }
            }
        }
    }

    /** Features the statistics were fitted for, or -1 when any count works. */
    @JsonIgnore
    public int featureCount() {
        return switch (kind) {
            case STANDARDIZE -> mean.length;
            case PER_CHANNEL -> mean.length * plane;
            default -> -1;
        };
    }

    private static float maxAbs(Dataset train) {
        float max = 0;
        for (float v : train.features()) {
            max = Math.max(max, Math.abs(v));
        }
        // All-zero data: dividing by 1 leaves it as it is rather than producing NaN.
        return max > 0 ? max : 1f;
    }

    /** Rows per task of the streamed pass. */
    private static final int PASS_CHUNK = 256;

    /**
     * The statistics of a streamed training set from one pass over its images, decoded on the
     * background threads. Sums and sums of squares replace the in-memory two passes: decoded pixels
     * are whole numbers from 0 to 255, so both sums are exact in double (up to 2^53 / 255^2, over
     * 10^11 values per feature) and the variance loses nothing to cancellation.
     */
    private static Normalizer fitStreamed(Kind kind, Dataset train) {
        int n = train.size();
        if (n == 0) {
            throw new KeiryoException("Cannot fit " + kind.id() + " normalisation on " + train.name()
                    + " because it has no examples; check the training data.");
        }
        int d = train.featureCount();
        double[] sum = new double[d];
        double[] sq = new double[d];
        int chunks = (n + PASS_CHUNK - 1) / PASS_CHUNK;
        try (Prefetch<float[]> rows = new Prefetch<>(
                chunks,
                2 * Prefetch.THREADS,
                c -> {
                    int from = c * PASS_CHUNK;
                    int to = Math.min(n, from + PASS_CHUNK);
                    float[] x = new float[(to - from) * d];
                    for (int i = from; i < to; i++) {
                        train.read(i, x, (i - from) * d);
                    }
                    return x;
                },
                new java.util.concurrent.atomic.LongAdder())) {
            while (rows.hasNext()) {
                float[] x = rows.next();
                for (int k = 0, j = 0; k < x.length; k++) {
                    double v = x[k];
                    sum[j] += v;
                    sq[j] += v * v;
                    if (++j == d) {
                        j = 0;
                    }
                }
            }
        }
        if (kind == Kind.STANDARDIZE) {
            float[] mean = new float[d];
            float[] std = new float[d];
            for (int j = 0; j < d; j++) {
                moments(sum[j], sq[j], n, mean, std, j);
            }
            return new Normalizer(Kind.STANDARDIZE, 1f, mean, std, null);
        }
        int channels = train.channels();
        int plane = train.height() * train.width();
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double s = 0;
            double q = 0;
            for (int j = c * plane; j < (c + 1) * plane; j++) {
                s += sum[j];
                q += sq[j];
            }
            moments(s, q, (double) n * plane, mean, std, c);
        }
        return new Normalizer(Kind.PER_CHANNEL, 1f, mean, std, plane);
    }

    /** Mean and deviation from exact sums, with the in-memory fit's rule for a constant feature. */
    private static void moments(double sum, double sumSquares, double count, float[] mean, float[] std, int at) {
        double mu = sum / count;
        double s = Math.sqrt(Math.max(0, sumSquares / count - mu * mu));
        mean[at] = (float) mu;
        std[at] = s > 1e-6 * Math.max(1, Math.abs(mu)) ? (float) s : 1f;
    }

    private static Normalizer standardize(Dataset train) {
        int d = train.featureCount();
        int n = train.size();
        if (n == 0) {
            throw new KeiryoException("Cannot fit standardize normalisation on " + train.name()
                    + " because it has no examples; check the training data.");
        }
        // Two passes: sum-of-squares minus squared mean loses all precision on large raw values.
        float[] f = train.features();
        double[] sum = new double[d];
        for (int i = 0, k = 0; i < n; i++) {
            for (int j = 0; j < d; j++, k++) {
                sum[j] += f[k];
            }
        }
        double[] mu = new double[d];
        for (int j = 0; j < d; j++) {
            mu[j] = sum[j] / n;
        }
        double[] sq = new double[d];
        for (int i = 0, k = 0; i < n; i++) {
            for (int j = 0; j < d; j++, k++) {
                double dev = f[k] - mu[j];
                sq[j] += dev * dev;
            }
        }
        float[] mean = new float[d];
        float[] std = new float[d];
        for (int j = 0; j < d; j++) {
            double s = Math.sqrt(sq[j] / n);
            mean[j] = (float) mu[j];
            std[j] = s > 1e-6 * Math.max(1, Math.abs(mu[j])) ? (float) s : 1f;
        }
        return new Normalizer(Kind.STANDARDIZE, 1f, mean, std, null);
    }

    private static Normalizer perChannel(Dataset train) {
        int n = train.size();
        if (n == 0) {
            throw new KeiryoException("Cannot fit per-channel normalisation on " + train.name()
                    + " because it has no examples; check the training data.");
        }
        int channels = train.channels();
        int plane = train.height() * train.width();
        float[] f = train.features();
        float[] mean = new float[channels];
        float[] std = new float[channels];
        double count = (double) n * plane;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                for (int k = (i * channels + c) * plane, end = k + plane; k < end; k++) {
                    sum += f[k];
                }
            }
            double mu = sum / count;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                for (int k = (i * channels + c) * plane, end = k + plane; k < end; k++) {
                    double dev = f[k] - mu;
                    sq += dev * dev;
                }
            }
            double s = Math.sqrt(sq / count);
            mean[c] = (float) mu;
            std[c] = s > 1e-6 * Math.max(1, Math.abs(mu)) ? (float) s : 1f;
        }
        return new Normalizer(Kind.PER_CHANNEL, 1f, mean, std, plane);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalizer other
                && kind == other.kind
                && Float.compare(divisor, other.divisor) == 0
                && Arrays.equals(mean, other.mean)
                && Arrays.equals(std, other.std)
                && Objects.equals(plane, other.plane);
    }

    @Override
    public int hashCode() {
        return 31
                        * (31 * (31 * (31 * kind.hashCode() + Float.hashCode(divisor)) + Arrays.hashCode(mean))
                                + Arrays.hashCode(std))
                + Objects.hashCode(plane);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "none";
            case SCALE -> "scale(/" + divisor + ")";
            case STANDARDIZE -> "standardize(" + mean.length + " features)";
            case PER_CHANNEL -> "per-channel(" + mean.length + " channels)";
        };
    }
}
