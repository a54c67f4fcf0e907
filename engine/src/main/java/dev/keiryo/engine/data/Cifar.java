package dev.keiryo.engine.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The binary versions of CIFAR-10 and CIFAR-100 (Krizhevsky, 2009): each record is the label
 * byte(s) followed by a 32x32 colour image as 1,024 red, then green, then blue bytes, which is
 * already the channel-first layout the networks take.
 */
public final class Cifar {
    static final int SIDE = 32;
    static final int IMAGE_BYTES = 3 * SIDE * SIDE;

    /** One of the two sets: its files, label layout, published class names and where to get it. */
    public enum Kind {
        CIFAR10(
                "CIFAR-10",
                "cifar10",
                "cifar-10-batches-bin",
                "data_batch_%d.bin",
                5,
                "test_batch.bin",
                1,
                10,
                "batches.meta.txt",
                "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"),
        CIFAR100(
                "CIFAR-100",
                "cifar100",
                "cifar-100-binary",
                "train.bin",
                1,
                "test.bin",
                2,
                100,
                "fine_label_names.txt",
                "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz");

        final String title;
        final String slug;
        final String archiveFolder;
        final String trainPattern;
        final int trainCount;
        final String testFile;
        final int labelBytes;
        final int classes;
        final String namesFile;
        final String url;

        Kind(
                String title,
                String slug,
                String archiveFolder,
                String trainPattern,
                int trainCount,
                String testFile,
                int labelBytes,
                int classes,
                String namesFile,
                String url) {
            this.title = title;
            this.slug = slug;
            this.archiveFolder = archiveFolder;
            this.trainPattern = trainPattern;
            this.trainCount = trainCount;
            this.testFile = testFile;
            this.labelBytes = labelBytes;
            this.classes = classes;
            this.namesFile = namesFile;
            this.url = url;
        }

        /** The environment variable naming the folder, e.g. KEIRYO_CIFAR10. */
        public String env() {
            return "KEIRYO_" + slug.toUpperCase(Locale.ROOT);
        }

        /** The training files' names: data_batch_1.bin .. data_batch_5.bin, or train.bin. */
        List<String> trainFiles() {
            if (trainCount == 1) {
                return List.of(trainPattern);
            }
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= trainCount; i++) {
                out.add(String.format(Locale.ROOT, trainPattern, i));
            }
            return out;
        }

        int recordBytes() {
            return labelBytes + IMAGE_BYTES;
        }

        String install() {
            return "download the binary version from " + url + " and unpack it (tar xzf), then pass --data with"
                    + " the folder holding " + testFile + " or set " + env() + " to it";
        }
    }

    static final List<String> CIFAR10_CLASSES =
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    static final List<String> CIFAR100_CLASSES = List.of(
            "apple",
            "aquarium_fish",
            "baby",
            "bear",
            "beaver",
            "bed",
            "bee",
            "beetle",
            "bicycle",
            "bottle",
            "bowl",
            "boy",
            "bridge",
            "bus",
            "butterfly",
            "camel",
            "can",
            "castle",
            "caterpillar",
            "cattle",
            "chair",
            "chimpanzee",
            "clock",
            "cloud",
            "cockroach",
            "couch",
            "crab",
            "crocodile",
            "cup",
            "dinosaur",
            "dolphin",
            "elephant",
            "flatfish",
            "forest",
            "fox",
            "girl",
            "hamster",
            "house",
            "kangaroo",
            "keyboard",
            "lamp",
            "lawn_mower",
            "leopard",
            "lion",
            "lizard",
            "lobster",
            "man",
            "maple_tree",
            "motorcycle",
            "mountain",
            "mouse",
            "mushroom",
            "oak_tree",
            "orange",
            "orchid",
            "otter",
            "palm_tree",
            "pear",
            "pickup_truck",
            "pine_tree",
            "plain",
            "plate",
            "poppy",
            "porcupine",
            "possum",
            "rabbit",
            "raccoon",
            "ray",
            "road",
            "rocket",
            "rose",
            "sea",
            "seal",
            "shark",
            "shrew",
            "skunk",
            "skyscraper",
            "snail",
            "snake",
            "spider",
            "squirrel",
            "streetcar",
            "sunflower",
            "sweet_pepper",
            "table",
            "tank",
            "telephone",
            "television",
            "tiger",
            "tractor",
            "train",
            "trout",
            "tulip",
            "turtle",
            "wardrobe",
            "whale",
            "willow_tree",
            "wolf",
            "woman",
            "worm");

    private Cifar() {}

    /**
     * Finds and reads {@code kind}: in {@code folder} when given, else in the folder named by its
     * environment variable, else in /usr/share/datasets/&lt;slug&gt; or ~/.keiryo/datasets/&lt;slug&gt;
     * (each also accepted with the archive's own sub-folder, e.g. cifar-10-batches-bin).
     */
    public static DataBundle load(Kind kind, Path folder, UnaryOperator<String> env, Path home) {
        if (folder != null) {
            return read(kind, located(kind, folder, "the folder given"), "the folder given");
        }
        String fromEnv = env.apply(kind.env());
        if (fromEnv != null && !fromEnv.isBlank()) {
            return read(kind, located(kind, Path.of(fromEnv.strip()), "$" + kind.env()), "$" + kind.env());
        }
        List<Path> looked = new ArrayList<>();
        for (Path base : List.of(
                Path.of("/usr/share/datasets", kind.slug),
                home.resolve(".keiryo/datasets").resolve(kind.slug))) {
            Path found = find(kind, base);
            if (found != null) {
                return read(kind, found, found.toString());
            }
            looked.add(base);
        }
        throw new DataFormatException(kind.title + " was not found (looked in $" + kind.env() + " (not set), "
                + looked.get(0) + " and " + looked.get(1) + "); " + kind.install() + ".");
    }

    /** The folder holding the test file: {@code base} itself or its archive sub-folder; or null. */
    static Path find(Kind kind, Path base) {
        if (Files.isRegularFile(base.resolve(kind.testFile))) {
            return base;
        }
        Path inner = base.resolve(kind.archiveFolder);
        return Files.isRegularFile(inner.resolve(kind.testFile)) ? inner : null;
    }

    // A folder the user named explicitly is never silently replaced by another one.
    private static Path located(Kind kind, Path folder, String how) {
        Path found = find(kind, folder);
        if (found == null) {
            String problem = !Files.exists(folder)
                    ? "does not exist"
                    : !Files.isDirectory(folder) ? "is not a folder" : "has no " + kind.testFile;
            throw new DataFormatException(
                    kind.title + " folder " + folder + " (" + how + ") " + problem + "; " + kind.install() + ".");
        }
        return found;
    }

    /** Reads the training and test files of {@code kind} from {@code dir}. */
    static DataBundle read(Kind kind, Path dir, String where) {
        List<String> names = classNames(kind, dir);
        List<Path> trainFiles = new ArrayList<>();
        for (String f : kind.trainFiles()) {
            Path p = dir.resolve(f);
            if (!Files.isRegularFile(p)) {
                throw new DataFormatException(
                        kind.title + " training file " + p + " is missing; " + kind.install() + ".");
            }
            trainFiles.add(p);
        }
        Dataset train = readFiles(kind, trainFiles, kind.slug + "-train", names);
        Dataset test = readFiles(kind, List.of(dir.resolve(kind.testFile)), kind.slug + "-test", names);
        return new DataBundle(
                train,
                test,
                kind.title + " from " + where + " (" + train.size() + " training and " + test.size()
                        + " test images, 3x32x32)");
    }

    private static Dataset readFiles(Kind kind, List<Path> files, String name, List<String> names) {
        int rec = kind.recordBytes();
        long total = 0;
        for (Path p : files) {
            long size = size(p);
            if (size == 0 || size % rec != 0) {
                throw new DataFormatException(kind.title + " file " + p + " has " + size + " bytes, not a whole"
                        + " number of " + rec + "-byte records, so it is truncated or not the binary version; "
                        + kind.install() + ".");
            }
            total += size / rec;
        }
        int n = Math.toIntExact(total);
        float[] features = new float[Math.multiplyExact(n, IMAGE_BYTES)];
        int[] labels = new int[n];
        int i = 0;
        for (Path p : files) {
            byte[] bytes = bytes(p);
            if (bytes.length % rec != 0) {
                throw new DataFormatException(kind.title + " file " + p + " changed while it was read; read it again.");
            }
            for (int off = 0; off < bytes.length; off += rec, i++) {
                // CIFAR-100 stores the coarse label first; the fine label is the task.
                int label = bytes[off + kind.labelBytes - 1] & 0xff;
                if (label >= kind.classes) {
                    throw new DataFormatException(kind.title + " file " + p + " has label " + label + " in record "
                            + (off / rec) + " but labels run 0.." + (kind.classes - 1)
                            + "; it is not a " + kind.title + " binary file.");
                }
                labels[i] = label;
                int base = i * IMAGE_BYTES;
                for (int j = 0; j < IMAGE_BYTES; j++) {
                    features[base + j] = bytes[off + kind.labelBytes + j] & 0xff;
                }
            }
        }
        return new Dataset(name, features, labels, kind.classes, 3, SIDE, SIDE, names);
    }

    /** The names from the set's own names file when present, else the published ones. */
    static List<String> classNames(Kind kind, Path dir) {
        Path file = dir.resolve(kind.namesFile);
        if (Files.isRegularFile(file)) {
            try {
                List<String> names = new ArrayList<>();
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        names.add(line.strip());
                    }
                }
                if (names.size() == kind.classes) {
                    return names;
                }
            } catch (IOException e) {
                // An unreadable names file is no reason to refuse the data: the published names follow.
            }
        }
        return kind == Kind.CIFAR10 ? CIFAR10_CLASSES : CIFAR100_CLASSES;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new DataFormatException(
                    "Could not read " + p + " (" + e.getMessage() + "); check that the file is readable.", e);
        }
    }

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new DataFormatException(
                    "Could not read " + p + " (" + e.getMessage() + "); check that the file is readable.", e);
        }
    }
}
