package dev.keiryo.engine.bench;

import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.backend.NativeSetup;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.Augmentation;
import dev.keiryo.engine.data.DataBundle;
import dev.keiryo.engine.data.ImageFolder;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.data.StreamStats;
import dev.keiryo.engine.eval.Evaluator;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.train.TrainSettings;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Training from an image folder streamed from disk: generates a folder of small seeded PNG images,
 * reads it with streaming on, fits the normalisation in one pass, trains a LeNet-5 on it and
 * evaluates the streamed test split, measuring peak memory against the size of the decoded set,
 * the images decoded per second and the share of training time spent waiting for data.
 */
public final class StreamingBench {
    private static final String DONE = ".complete";

    private StreamingBench() {}

    /**
     * What one run measured.
     *
     * @param decodedBytes what the whole set takes decoded as floats, as the in-memory path holds it
     * @param inMemoryEstimateBytes what the in-memory path reserves to decode it (28 bytes a pixel)
     * @param scanImagesPerSecond the first pass (check, colour) over every image, on all decoding threads
     * @param trainWaitShare share of the training loop's time spent in {@code next()}
     * @param peakHeapBytes the largest heap in use after the folder was written (sum of the pools' peaks)
     * @param vmHwmBytes the process's peak resident memory after the folder was written (VmHWM), or -1
     */
    public record Result(
            int images,
            int trainImages,
            int testImages,
            int side,
            long decodedBytes,
            long inMemoryEstimateBytes,
            long maxHeapBytes,
            double writeSeconds,
            double scanSeconds,
            double scanImagesPerSecond,
            double normalizationSeconds,
            int epochs,
            int batch,
            double trainSeconds,
            double trainImagesPerSecond,
            StreamStats stats,
            double trainWaitShare,
            double testAccuracy,
            long peakHeapBytes,
            long vmHwmBytes) {}

    /**
     * Writes {@code images} seeded {@code side x side} colour PNGs into {@code classes} class folders
     * under {@code dir}, unless a complete folder of that kind is there already: each class has a
     * hue, and every pixel noise on top, so the classes can be learnt a little.
     */
    public static double generate(Path dir, int images, int side, int classes, long seed) {
        Path done = dir.resolve(DONE);
        String kind = images + " " + side + " " + classes + " " + seed;
        try {
            if (Files.isRegularFile(done) && Files.readString(done).equals(kind)) {
                return 0;
            }
            long t0 = System.nanoTime();
            for (int c = 0; c < classes; c++) {
                Files.createDirectories(dir.resolve(String.format(Locale.ROOT, "class%02d", c)));
            }
            IntStream.range(0, images).parallel().forEach(i -> write(dir, i, side, classes, seed));
            Files.writeString(done, kind);
            return (System.nanoTime() - t0) / 1e9;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the images under " + dir, e);
        }
    }

    private static void write(Path dir, int i, int side, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
        int c = i % classes;
        float hue = (float) c / classes;
        int base = java.awt.Color.HSBtoRGB(hue, 0.8f, 0.8f);
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int rgb = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    int v = ((base >> shift) & 0xff) + r.nextInt(-60, 61);
                    rgb |= Math.max(0, Math.min(255, v)) << shift;
                }
                img.setRGB(x, y, rgb);
            }
        }
        Path file = dir.resolve(String.format(Locale.ROOT, "class%02d/%06d.png", c, i));
        try {
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    /**
     * Streams the folder {@code dir} ({@link #generate}d) through {@code epochs} epochs of LeNet-5 in
     * minibatches of {@code batch}, with crop-flip augmentation and per-channel normalisation.
     */
    public static Result run(Path dir, double writeSeconds, int epochs, int batch, long seed, Consumer<String> notes) {
        NativeSetup.initialize();
        resetPeaks();
        long t0 = System.nanoTime();
        DataBundle data = ImageFolder.read(dir, new ImageFolder.Options(null, false, 0.2, seed, DataSpec.Streaming.ON));
        double scan = (System.nanoTime() - t0) / 1e9;
        int images = data.train().size() + data.test().size();
        notes.accept(String.format(Locale.ROOT, "read and checked %,d images in %.1f s", images, scan));
        t0 = System.nanoTime();
        Normalizer norm = Normalizer.fit(Normalizer.Kind.PER_CHANNEL, data.train());
        double normSeconds = (System.nanoTime() - t0) / 1e9;
        notes.accept(String.format(Locale.ROOT, "fitted %s in %.1f s", norm, normSeconds));
        TrainSettings settings = new TrainSettings(
                TrainSettings.defaults().optimizer(),
                1e-3,
                batch,
                epochs,
                TrainSettings.defaults().dataType(),
                0,
                0,
                0,
                seed);
        InputShape input = new InputShape(
                data.train().channels(), data.train().height(), data.train().width());
        ComputationGraph net = ModelFactory.build(
                Architecture.of(ArchitecturePreset.LENET5), input, data.train().numClasses(), settings);
        ArrayDataSetIterator train = ArrayDataSetIterator.builder(data.train())
                .normalization(norm)
                .batchSize(batch)
                .seed(seed)
                .imageShaped(true)
                .augmentation(new Augmentation(true, true))
                .build();
        long trainNanos = 0;
        for (int e = 0; e < epochs; e++) {
            train.reset();
            long e0 = System.nanoTime();
            while (train.hasNext()) {
                net.fit(train.next());
            }
            long took = System.nanoTime() - e0;
            trainNanos += took;
            notes.accept(String.format(
                    Locale.ROOT,
                    "epoch %d of %d: %.1f s, %s",
                    e + 1,
                    epochs,
                    took / 1e9,
                    train.streamStats().describe(trainNanos / 1e9)));
        }
        StreamStats stats = train.streamStats();
        double acc = Evaluator.evaluate(
                        net,
                        ArrayDataSetIterator.builder(data.test())
                                .normalization(norm)
                                .batchSize(512)
                                .shuffle(false)
                                .imageShaped(true)
                                .build())
                .accuracy();
        int side = data.train().height();
        long values = (long) images * data.train().featureCount();
        return new Result(
                images,
                data.train().size(),
                data.test().size(),
                side,
                values * 4,
                (long) images * side * side * 28,
                Runtime.getRuntime().maxMemory(),
                writeSeconds,
                scan,
                images / scan,
                normSeconds,
                epochs,
                batch,
                trainNanos / 1e9,
                stats.examples() / (trainNanos / 1e9),
                stats,
                stats.waitNanos() / (double) trainNanos,
                acc,
                peakHeap(),
                vmHwm());
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .toList();
    }

    /** Starts the heap and resident-memory peaks afresh, so the folder's writing does not count. */
    private static void resetPeaks() {
        System.gc();
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
        try {
            // Linux: writing 5 to clear_refs resets VmHWM to the current resident size.
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException e) {
            // Not Linux, or not allowed: VmHWM then counts from the start of the process.
        }
    }

    private static long peakHeap() {
        return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static long vmHwm() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
