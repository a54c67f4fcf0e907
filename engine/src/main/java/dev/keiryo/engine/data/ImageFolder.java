package dev.keiryo.engine.data;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.DataSpec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A folder of images with one sub-folder per class ({@code DIR/cat/001.png}), optionally already
 * split into {@code DIR/train/<class>/} and {@code DIR/test/<class>/}. Every image is decoded by
 * {@link ImageDecoder} and resized to one square size; a set whose images are all grey stays one
 * channel, any colour image makes it three.
 *
 * <p>A folder whose decoded images would not fit in memory is <em>streamed</em> (see
 * {@link Options#streaming()}): every image is still decoded once, on all cores, to check it, see
 * whether any has colour and skip bad files as the in-memory read does, but only the file names and
 * labels are kept, and {@link Dataset#read} decodes each image again whenever training needs it.
 */
public final class ImageFolder {
    /** A larger first image than this is not a sensible network input; such sets default to 32. */
    static final int LARGEST_DEFAULT_SIZE = 64;

    static final int FALLBACK_SIZE = 32;

    /**
     * How to read the folder.
     *
     * @param imageSize the side to resize to, or null for the first image's larger side (32 when
     *     that exceeds {@value #LARGEST_DEFAULT_SIZE})
     * @param skipBad skip unreadable files and empty class folders, counting them, instead of stopping
     * @param testFraction without a test/ folder: the stratified share held out as the test set
     * @param seed without a test/ folder: the seed of that split
     * @param streaming on streams from disk, off decodes into memory, auto streams when the decoded
     *     images would need more than half of the heap
     */
    public record Options(
            Integer imageSize, boolean skipBad, double testFraction, long seed, DataSpec.Streaming streaming) {
        /** Options that stream only a folder too large for memory. */
        public Options(Integer imageSize, boolean skipBad, double testFraction, long seed) {
            this(imageSize, skipBad, testFraction, seed, DataSpec.Streaming.AUTO);
        }
    }

    private ImageFolder() {}

    public static DataBundle read(Path root, Options options) {
        return read(root, options, Runtime.getRuntime().maxMemory());
    }

    /** As {@link #read(Path, Options)}, within {@code heapBytes} of Java heap. */
    static DataBundle read(Path root, Options options, long heapBytes) {
        if (!Files.isDirectory(root)) {
            throw new DataFormatException("The image folder " + root + " "
                    + (Files.exists(root) ? "is not a folder" : "does not exist")
                    + "; pass --data with a folder holding one sub-folder of images per class.");
        }
        Path trainDir = root.resolve("train");
        Path testDir = root.resolve("test");
        boolean presplit = Files.isDirectory(trainDir) && Files.isDirectory(testDir);
        if (Files.isDirectory(trainDir) != Files.isDirectory(testDir)) {
            // Taken as a class named "train", it would train a classifier to tell the split apart.
            throw new DataFormatException("The image folder " + root + " has a "
                    + (Files.isDirectory(trainDir) ? "train/ folder but no test/" : "test/ folder but no train/")
                    + " folder; add the other one, or put the class folders directly in " + root + ".");
        }
        Reading reading = new Reading(options, root, countFiles(root), heapBytes, 0);
        String name = slug(root);
        if (presplit) {
            List<Path> kept = reading.classes(classFolders(trainDir));
            List<String> names =
                    kept.stream().map(p -> p.getFileName().toString()).toList();
            List<Path> testClasses = classFolders(testDir);
            for (Path t : testClasses) {
                if (!names.contains(t.getFileName().toString())) {
                    throw new DataFormatException("The test class folder " + t + " has no training folder of the same"
                            + " name in " + trainDir + "; rename it to one of " + String.join(", ", names) + ".");
                }
            }
            // Both sides are decoded before either is packed: a colour image anywhere makes both colour.
            Images trainImages = reading.read(kept, names);
            Images testImages = reading.read(testClasses, names);
            if (testImages.labels().isEmpty()) {
                throw new DataFormatException(
                        "The test folder " + testDir + " holds no images; add images per class or remove it"
                                + " to hold out a share of the training images instead.");
            }
            Dataset train = reading.dataset(name + "-train", trainImages, names);
            Dataset test = reading.dataset(name + "-test", testImages, names);
            return new DataBundle(train, test, reading.describe(root, train, test, "its test/ folder"));
        }
        if (!(options.testFraction() > 0 && options.testFraction() < 1)) {
            throw new KeiryoException("The test fraction is " + options.testFraction() + " but must be above 0 and"
                    + " below 1 when the image folder has no train/ and test/ sub-folders.");
        }
        List<Path> kept = reading.classes(classFolders(root));
        List<String> names = kept.stream().map(p -> p.getFileName().toString()).toList();
        Dataset all = reading.dataset(name, reading.read(kept, names), names);
        Splits.IndexSplit s = Splits.indices(all, options.testFraction(), options.seed());
        Dataset train = all.subset(s.train(), name + "-train");
        Dataset test = all.subset(s.validation(), name + "-test");
        return new DataBundle(
                train,
                test,
                reading.describe(
                        root,
                        train,
                        test,
                        Math.round(options.testFraction() * 100) + "% held out as the test set (seed " + options.seed()
                                + ")"));
    }

    /**
     * The images under {@code root} as the test set of a trained model: its test/ folder when there
     * is one, else all its class folders, since a folder given for evaluation is test data (as a
     * CSV file given to eval is). Class folders are matched to {@code classNames} by name, so a
     * folder lacking a class still labels the others as the model does; images are resized to
     * the model's side and given its channel count.
     *
     * @param classNames the model's classes in label order, or empty to number the folders
     */
    public static Dataset testSet(Path root, Options options, int channels, List<String> classNames) {
        if (!Files.isDirectory(root)) {
            throw new DataFormatException("The image folder " + root + " "
                    + (Files.exists(root) ? "is not a folder" : "does not exist")
                    + "; give a folder holding one sub-folder of images per class.");
        }
        Path dir = Files.isDirectory(root.resolve("test")) ? root.resolve("test") : root;
        List<Path> classDirs = classFolders(dir);
        List<String> names = classNames.isEmpty()
                ? classDirs.stream().map(p -> p.getFileName().toString()).toList()
                : classNames;
        for (Path d : classDirs) {
            if (!names.contains(d.getFileName().toString())) {
                throw new DataFormatException("The class folder " + d + " is not one of the model's classes ("
                        + String.join(", ", names) + "); rename or remove it.");
            }
        }
        Reading reading =
                new Reading(options, root, countFiles(dir), Runtime.getRuntime().maxMemory(), channels);
        return reading.dataset(slug(root) + "-test", reading.read(classDirs, names), names);
    }

    /** Regular files up to three levels down (DIR/class/file or DIR/train/class/file). */
    private static long countFiles(Path root) {
        try (Stream<Path> s = Files.walk(root, 3)) {
            return s.filter(Files::isRegularFile).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DataFormatException(
                    "Could not list the folder " + root + " (" + e.getMessage() + "); check that it is readable.", e);
        }
    }

    /** The sub-folders of {@code dir} in name order; hidden ones (".git") are not classes. */
    static List<Path> classFolders(Path dir) {
        List<Path> out = listFiles(dir).stream().filter(Files::isDirectory).toList();
        if (out.isEmpty()) {
            throw new DataFormatException("The image folder " + dir + " has no class sub-folders; put each class's"
                    + " images in a sub-folder named after the class, e.g. " + dir.resolve("cat") + ".");
        }
        return out;
    }

    static List<Path> listFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new DataFormatException(
                    "Could not list the folder " + dir + " (" + e.getMessage() + "); check that it is readable.", e);
        }
    }

    private static String slug(Path root) {
        Path name = root.toAbsolutePath().normalize().getFileName();
        return name == null ? "images" : name.toString();
    }

    /**
     * Images of one side with their labels: decoded, as packed RGB ints (0xRRGGBB), or, when
     * streaming, as the files to decode later.
     */
    private record Images(List<int[]> pixels, List<Path> files, List<Integer> labels) {}

    /** The in-memory read's sentence for a bad file: the decoder's, with the way to skip such files. */
    static DataFormatException explain(DataFormatException e) {
        String m = e.getMessage();
        return new DataFormatException(
                m.substring(0, m.length() - 1) + ", or pass --skip-bad-images to skip such files.", e);
    }

    /**
     * Packed RGB pixels as {@code channels} planes of raw 0..255 values at {@code dst[base..]}: colour
     * as red, green and blue planes, grey as one.
     */
    static void toFloats(int[] rgb, int channels, float[] dst, int base) {
        int plane = rgb.length;
        for (int k = 0; k < plane; k++) {
            int p = rgb[k];
            if (channels == 3) {
                dst[base + k] = (p >> 16) & 0xff;
                dst[base + plane + k] = (p >> 8) & 0xff;
                dst[base + 2 * plane + k] = p & 0xff;
            } else {
                dst[base + k] = luma(p);
            }
        }
    }

    /** Grey pixels as they are; colour ones as their luma (ITU-R BT.601), for a grey model. */
    private static float luma(int p) {
        int r = (p >> 16) & 0xff;
        int g = (p >> 8) & 0xff;
        int b = p & 0xff;
        return r == g && g == b ? b : Math.round(0.299f * r + 0.587f * g + 0.114f * b);
    }

    /** The state of one read: the size chosen, whether any image had colour, what was skipped. */
    private static final class Reading {
        private final Options options;
        private final Path root;
        private final long files;
        private final long heapBytes;
        /** The channel count asked for (a trained model's), or 0 for 3 if any image has colour, else 1. */
        private final int channels;

        private final List<Path> skippedFiles = new ArrayList<>();
        private final List<Path> skippedFolders = new ArrayList<>();
        private int size;
        private boolean colour;
        private boolean streaming;

        Reading(Options options, Path root, long files, long heapBytes, int channels) {
            this.options = options;
            this.channels = channels;
            this.root = root;
            this.files = files;
            this.heapBytes = heapBytes;
            this.size = options.imageSize() == null ? 0 : options.imageSize();
            if (size > 0) {
                decide();
            }
        }

        /**
         * Decides, once the side is known, whether the set is decoded into memory or streamed.
         * Per pixel in memory: the decoded int, three float channels, and the copy a split or
         * subset makes. In memory, a set that cannot fit stops before decoding: running out of heap
         * half-way would end in an OutOfMemoryError with no sentence.
         */
        private void decide() {
            long needed = files * size * size * (4L + 12 + 12);
            streaming = switch (options.streaming() == null ? DataSpec.Streaming.AUTO : options.streaming()) {
                case ON -> true;
                case AUTO -> needed > heapBytes / 2;
                case OFF -> false;
            };
            if (!streaming && needed > heapBytes * 8 / 10) {
                throw new DataFormatException(String.format(
                        Locale.ROOT,
                        "The image folder %s holds %,d files, which need about %,d MB as %dx%d colour images"
                                + " but Java may use %,d MB; stream them from disk (--streaming on), or use a"
                                + " smaller --image-size, fewer images, or more memory (KEIRYO_JAVA_OPTS=-Xmx...).",
                        root,
                        files,
                        needed >> 20,
                        size,
                        size,
                        heapBytes >> 20));
            }
        }

        /**
         * The side from the first readable image, before any is kept, so that the choice between
         * memory and streaming is made before decoding the rest. A bad first file stops the read
         * as the decoding loop would; with skipping, the loop counts it.
         */
        private void probe(List<Path> classDirs) {
            for (Path dir : classDirs) {
                for (Path file : listFiles(dir)) {
                    if (!Files.isRegularFile(file)) {
                        continue;
                    }
                    try {
                        BufferedImage img = ImageDecoder.decode(file);
                        int side = Math.max(img.getWidth(), img.getHeight());
                        size = side <= LARGEST_DEFAULT_SIZE ? side : FALLBACK_SIZE;
                        decide();
                        return;
                    } catch (DataFormatException e) {
                        if (!options.skipBad()) {
                            throw explain(e);
                        }
                    }
                }
            }
        }

        /** The class folders that hold any file; empty ones stop the read unless skipping. */
        List<Path> classes(List<Path> dirs) {
            List<Path> kept = new ArrayList<>();
            for (Path d : dirs) {
                if (listFiles(d).stream().anyMatch(Files::isRegularFile)) {
                    kept.add(d);
                } else if (options.skipBad()) {
                    skippedFolders.add(d);
                } else {
                    throw new DataFormatException("The class folder " + d + " holds no image files; add images, remove"
                            + " the folder, or pass --skip-bad-images to leave it out.");
                }
            }
            if (kept.size() < 2) {
                throw new DataFormatException("The image folder " + dirs.get(0).getParent() + " has " + kept.size()
                        + " class folder(s) with images but a classifier needs at least two; add a sub-folder of"
                        + " images per class.");
            }
            return kept;
        }

        Images read(List<Path> classDirs, List<String> names) {
            if (size == 0) {
                probe(classDirs);
            }
            if (streaming) {
                ImageScan.Result r = ImageScan.scan(classDirs, names, size, options.skipBad());
                colour |= r.colour();
                skippedFiles.addAll(r.skipped());
                if (r.files().isEmpty() && !r.skipped().isEmpty()) {
                    throw noneReadable(classDirs);
                }
                return new Images(List.of(), r.files(), r.labels());
            }
            List<int[]> pixels = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            for (Path dir : classDirs) {
                int label = names.indexOf(dir.getFileName().toString());
                for (Path file : listFiles(dir)) {
                    if (!Files.isRegularFile(file)) {
                        continue;
                    }
                    BufferedImage img;
                    try {
                        img = ImageDecoder.decode(file);
                    } catch (DataFormatException e) {
                        if (!options.skipBad()) {
                            throw explain(e);
                        }
                        skippedFiles.add(file);
                        continue;
                    }
                    int[] rgb = ImageDecoder.resizedRgb(img, size);
                    colour |= !ImageDecoder.grey(rgb);
                    pixels.add(rgb);
                    labels.add(label);
                }
            }
            if (pixels.isEmpty() && !skippedFiles.isEmpty()) {
                throw noneReadable(classDirs);
            }
            return new Images(pixels, List.of(), labels);
        }

        private DataFormatException noneReadable(List<Path> classDirs) {
            return new DataFormatException("None of the files under "
                    + classDirs.get(0).getParent()
                    + " could be read as images (" + skippedFiles.size() + " skipped, first " + skippedFiles.get(0)
                    + "); check that the folder holds PNG, JPEG or BMP images.");
        }

        Dataset dataset(String name, Images images, List<String> classNames) {
            int channels = this.channels > 0 ? this.channels : colour ? 3 : 1;
            int[] labels = images.labels().stream().mapToInt(Integer::intValue).toArray();
            // A set of unreadable files only (all skipped) has no size; 1 keeps the empty set well formed.
            int side = Math.max(size, 1);
            if (streaming) {
                ImageFiles files =
                        new ImageFiles(images.files().toArray(Path[]::new), side, channels, options.skipBad());
                return new Dataset(name, files, labels, classNames.size(), classNames);
            }
            int n = images.pixels().size();
            int d = channels * size * size;
            float[] f = new float[Math.multiplyExact(n, d)];
            for (int i = 0; i < n; i++) {
                toFloats(images.pixels().get(i), channels, f, i * d);
            }
            return new Dataset(name, f, labels, classNames.size(), channels, side, side, classNames);
        }

        String describe(Path root, Dataset train, Dataset test, String split) {
            StringBuilder b = new StringBuilder("image folder ")
                    .append(root)
                    .append(" (")
                    .append(train.size())
                    .append(" training and ")
                    .append(test.size())
                    .append(" test images of ")
                    .append(train.numClasses())
                    .append(" classes, resized to ")
                    .append(size)
                    .append('x')
                    .append(size)
                    .append(colour ? " colour" : " grey")
                    .append(streaming ? ", streamed from disk" : "")
                    .append("; ")
                    .append(split)
                    .append(')');
            if (!skippedFiles.isEmpty()) {
                b.append("; skipped ")
                        .append(skippedFiles.size())
                        .append(skippedFiles.size() == 1 ? " unreadable file (" : " unreadable files (first: ")
                        .append(skippedFiles.get(0))
                        .append(')');
            }
            if (!skippedFolders.isEmpty()) {
                b.append("; left out ")
                        .append(skippedFolders.size())
                        .append(skippedFolders.size() == 1 ? " empty class folder (" : " empty class folders (first: ")
                        .append(skippedFolders.get(0))
                        .append(')');
            }
            return b.toString();
        }
    }
}
