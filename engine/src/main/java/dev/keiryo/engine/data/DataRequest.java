package dev.keiryo.engine.data;

import dev.keiryo.engine.api.experiment.DataSpec;
import java.nio.file.Path;

/**
 * What data to load, as the user names it.
 *
 * @param source one of {@code sample}, {@code fashion-mnist}, {@code mnist}, {@code idx},
 *     {@code csv}, {@code cifar10}, {@code cifar100}, {@code images}
 * @param path the folder (fashion-mnist, mnist, cifar10, cifar100: optional, overrides discovery;
 *     idx, images: required) or
 *     the training CSV file (csv: required); ignored for sample
 * @param testPath csv only: the test CSV; when null the test set is split off the training file
 * @param labelColumn csv only: the label column
 * @param testFraction csv without testPath, and images without test/: the share held out as the
 *     test set
 * @param seed csv and images, without a separate test set: the seed of the held-out split
 * @param imageSize images only: the side images are resized to, or null for the first image's
 * @param skipBadImages images only: skip and count unreadable files instead of stopping
 * @param streaming images only: read from disk every epoch (on), decode into memory (off), or decide by size
 */
public record DataRequest(
        String source,
        Path path,
        Path testPath,
        LabelColumn labelColumn,
        double testFraction,
        long seed,
        Integer imageSize,
        boolean skipBadImages,
        DataSpec.Streaming streaming) {
    public static final double DEFAULT_TEST_FRACTION = 0.2;
    public static final long DEFAULT_SEED = 42;

    /** A request with the image settings left at their defaults. */
    public DataRequest(
            String source, Path path, Path testPath, LabelColumn labelColumn, double testFraction, long seed) {
        this(source, path, testPath, labelColumn, testFraction, seed, null, false);
    }

    /** A request that streams images only when they would not fit in memory. */
    public DataRequest(
            String source,
            Path path,
            Path testPath,
            LabelColumn labelColumn,
            double testFraction,
            long seed,
            Integer imageSize,
            boolean skipBadImages) {
        this(
                source,
                path,
                testPath,
                labelColumn,
                testFraction,
                seed,
                imageSize,
                skipBadImages,
                DataSpec.Streaming.AUTO);
    }

    /** A spec with the default label column (the last), test fraction and seed. */
    public static DataRequest of(String source, Path path) {
        return new DataRequest(source, path, null, LabelColumn.LAST, DEFAULT_TEST_FRACTION, DEFAULT_SEED);
    }

    /** What the experiment file's {@code data:} section asks to load, split with {@code seed}. */
    public static DataRequest of(DataSpec data, long seed) {
        return new DataRequest(
                data.source().id(),
                data.path() == null ? null : Path.of(data.path()),
                data.testPath() == null ? null : Path.of(data.testPath()),
                data.labelColumn() == null ? LabelColumn.LAST : LabelColumn.of(data.labelColumn()),
                DEFAULT_TEST_FRACTION,
                seed,
                data.imageSize(),
                data.skipBadImages(),
                data.streaming());
    }
}
