package dev.keiryo.engine.data;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.DataSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Turns a user's choice of data into a train/test {@link DataBundle}: the Fashion-MNIST sample
 * bundled on the class path (works offline, out of the box), the full Fashion-MNIST or MNIST found
 * on the local machine, any MNIST-style IDX folder, CSV files, CIFAR-10 or CIFAR-100 in their binary
 * versions, or a folder of images with one sub-folder per class.
 */
public final class DataSources {
    public static final List<String> SOURCES =
            List.of("sample", "fashion-mnist", "mnist", "idx", "csv", "cifar10", "cifar100", "images");
    /** Class-path folder of the bundled sample (the engine jar packs assets/data there). */
    public static final String SAMPLE_RESOURCES = "/dev/keiryo/data/fashion-mnist-sample/";

    public static final String FASHION_MNIST_ENV = "KEIRYO_FASHION_MNIST";
    public static final String MNIST_ENV = "KEIRYO_MNIST";
    public static final Path FASHION_MNIST_SYSTEM = Path.of("/usr/share/datasets/fashion-mnist");
    public static final Path MNIST_SYSTEM = Path.of("/usr/share/datasets/mnist");

    /** A full data set that may be installed on the machine, and how to get it if it is not. */
    record Known(String name, String env, Path systemPath, List<String> classNames, String install) {}

    static final Known FASHION_MNIST = new Known(
            "Fashion-MNIST",
            FASHION_MNIST_ENV,
            FASHION_MNIST_SYSTEM,
            Dataset.FASHION_MNIST_CLASSES,
            "install it with 'apt-get install dataset-fashion-mnist' (no options needed after that), or "
                    + "download its four IDX files into a folder");
    static final Known MNIST = new Known(
            "MNIST", MNIST_ENV, MNIST_SYSTEM, Dataset.MNIST_CLASSES, "download its four IDX files into a folder");

    private DataSources() {}

    public static DataBundle load(String source, Path path) {
        return load(DataRequest.of(source, path));
    }

    public static DataBundle load(DataRequest spec) {
        String source = spec.source() == null ? "" : spec.source().strip().toLowerCase(Locale.ROOT);
        return switch (source) {
            case "sample" -> sample();
            case "fashion-mnist", "fashion_mnist", "fashionmnist" -> fashionMnist(spec.path());
            case "mnist" -> mnist(spec.path());
            case "idx" ->
                idxFolder(required(spec.path(), "idx", "a folder holding the four IDX files"), "idx", List.of());
            case "csv" ->
                csv(
                        required(spec.path(), "csv", "the training CSV file"),
                        spec.testPath(),
                        spec.labelColumn() == null ? LabelColumn.LAST : spec.labelColumn(),
                        spec.testFraction(),
                        spec.seed());
            case "cifar10", "cifar-10" -> Cifar.load(Cifar.Kind.CIFAR10, spec.path(), System::getenv, home());
            case "cifar100", "cifar-100" -> Cifar.load(Cifar.Kind.CIFAR100, spec.path(), System::getenv, home());
            case "images" ->
                ImageFolder.read(
                        required(spec.path(), "images", "a folder holding one sub-folder of images per class"),
                        new ImageFolder.Options(
                                spec.imageSize(),
                                spec.skipBadImages(),
                                spec.testFraction(),
                                spec.seed(),
                                spec.streaming() == null ? DataSpec.Streaming.AUTO : spec.streaming()));
            default ->
                throw new KeiryoException(
                        "Unknown data source '" + spec.source() + "'; use one of " + String.join(", ", SOURCES) + ".");
        };
    }

    /** The bundled stratified Fashion-MNIST sample: 5,000 training and 2,000 test images. */
    public static DataBundle sample() {
        ByteSource trainImages = ByteSource.ofResource(SAMPLE_RESOURCES + "train-images-idx3-ubyte.gz");
        if (!trainImages.exists()) {
            throw new KeiryoException("The bundled Fashion-MNIST sample is missing from the class path ("
                    + trainImages + "); this build was packaged without assets/data, so rebuild the "
                    + "engine or use --data DIR with a Fashion-MNIST folder.");
        }
        Dataset train = IdxReader.read(
                trainImages,
                ByteSource.ofResource(SAMPLE_RESOURCES + "train-labels-idx1-ubyte.gz"),
                "fashion-mnist-sample-train",
                10,
                Dataset.FASHION_MNIST_CLASSES);
        Dataset test = IdxReader.read(
                ByteSource.ofResource(SAMPLE_RESOURCES + "test-images-idx3-ubyte.gz"),
                ByteSource.ofResource(SAMPLE_RESOURCES + "test-labels-idx1-ubyte.gz"),
                "fashion-mnist-sample-test",
                10,
                Dataset.FASHION_MNIST_CLASSES);
        return new DataBundle(
                train,
                test,
                "the bundled Fashion-MNIST sample (" + train.size() + " training and " + test.size() + " test images)");
    }

    /**
     * The full Fashion-MNIST, looked for in {@code folder} if given, else in the folder named by
     * $KEIRYO_FASHION_MNIST, else in /usr/share/datasets/fashion-mnist.
     */
    public static DataBundle fashionMnist(Path folder) {
        return findKnown(FASHION_MNIST, folder, System::getenv);
    }

    /** As {@link #fashionMnist(Path)} for MNIST ($KEIRYO_MNIST, /usr/share/datasets/mnist). */
    public static DataBundle mnist(Path folder) {
        return findKnown(MNIST, folder, System::getenv);
    }

    /** Any MNIST-style folder; its labels must be 0..9. */
    public static DataBundle idxFolder(Path folder, String name, List<String> classNames) {
        IdxFolder.Result r = IdxFolder.find(folder);
        if (r.files() == null) {
            throw new DataFormatException("The IDX folder " + folder + " " + r.problem()
                    + "; point --data at a folder holding the training and test images and labels.");
        }
        return readIdx(r.files(), name, classNames, "IDX files in " + folder);
    }

    /**
     * CSV data; without {@code testCsv} a stratified {@code testFraction} of the training file is
     * held out as the test set, chosen by {@code seed}.
     */
    public static DataBundle csv(Path trainCsv, Path testCsv, LabelColumn label, double testFraction, long seed) {
        Dataset all = CsvReader.read(trainCsv, label);
        if (testCsv != null) {
            Dataset test = CsvReader.read(testCsv, label, all);
            return new DataBundle(all, test, "CSV files " + trainCsv + " (training) and " + testCsv + " (test)");
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new KeiryoException("The test fraction is " + testFraction + " but must be above 0 and "
                    + "below 1 when no test CSV is given; use e.g. 0.2, or give a test CSV file.");
        }
        Splits.DatasetSplit s = Splits.split(all, testFraction, seed);
        return new DataBundle(
                s.train().withName(all.name() + "-train"),
                s.validation().withName(all.name() + "-test"),
                "CSV file " + trainCsv + " with " + Math.round(testFraction * 100) + "% held out as the test set (seed "
                        + seed + ")");
    }

    static DataBundle findKnown(Known known, Path folder, UnaryOperator<String> env) {
        if (folder != null) {
            return readKnown(known, folder, "the folder given");
        }
        String fromEnv = env.apply(known.env());
        if (fromEnv != null && !fromEnv.isBlank()) {
            return readKnown(known, Path.of(fromEnv.strip()), "$" + known.env());
        }
        IdxFolder.Result system = IdxFolder.find(known.systemPath());
        if (system.files() != null) {
            return readIdx(
                    system.files(), slug(known), known.classNames(), known.name() + " from " + known.systemPath());
        }
        List<String> looked = new ArrayList<>();
        looked.add("$" + known.env() + " (not set)");
        looked.add(known.systemPath() + " (" + system.problem() + ")");
        throw new DataFormatException(known.name() + " was not found (looked in "
                + String.join(" and ", looked) + "); " + known.install() + ", then pass --data DIR "
                + "with the folder holding train-images-idx3-ubyte.gz and the other three IDX files or "
                + "set " + known.env() + " to it.");
    }

    // A folder the user named explicitly is never silently replaced by another one.
    private static DataBundle readKnown(Known known, Path folder, String how) {
        IdxFolder.Result r = IdxFolder.find(folder);
        if (r.files() == null) {
            throw new DataFormatException(known.name() + " folder " + folder + " (" + how + ") "
                    + r.problem() + "; point it at the folder holding the four IDX files, or "
                    + known.install() + ".");
        }
        return readIdx(r.files(), slug(known), known.classNames(), known.name() + " from " + folder);
    }

    private static DataBundle readIdx(IdxFolder f, String name, List<String> classNames, String description) {
        Dataset train = IdxReader.read(f.trainImages(), f.trainLabels(), name + "-train", 10, classNames);
        Dataset test = IdxReader.read(f.testImages(), f.testLabels(), name + "-test", 10, classNames);
        return new DataBundle(train, test, description);
    }

    private static Path home() {
        return Path.of(System.getProperty("user.home", "."));
    }

    private static String slug(Known known) {
        return known.name().toLowerCase(Locale.ROOT);
    }

    private static Path required(Path path, String source, String what) {
        if (path == null) {
            throw new KeiryoException("The '" + source + "' data source needs a path; pass --data with " + what + ".");
        }
        return path;
    }
}
