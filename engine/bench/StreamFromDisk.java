import dev.keiryo.engine.bench.StreamingBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains from an image folder streamed from disk and prints what it cost: generates (once) a folder
 * of seeded 32x32 colour PNGs in 10 classes, then streams it through LeNet-5 (see
 * {@link StreamingBench}). Run with a heap far smaller than the decoded set to show that it is not held:
 *
 * <pre>
 * nice java -Xmx512m -cp 'engine/target/keiryo-engine.jar:engine/target/lib/*' engine/bench/StreamFromDisk.java \
 *     [images=100000] [epochs=1] [dir=$TMPDIR/keiryo-stream-bench] [batch=128] [seed=1]
 * </pre>
 */
public final class StreamFromDisk {
    public static void main(String[] args) throws Exception {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Path dir = args.length > 2
                ? Path.of(args[2])
                : Path.of(System.getProperty("java.io.tmpdir"), "keiryo-stream-bench");
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 1;
        Files.createDirectories(dir);
        System.out.printf(Locale.ROOT, "writing %,d 32x32 colour PNGs under %s%n", images, dir);
        double write = StreamingBench.generate(dir, images, 32, 10, seed);
        StreamingBench.Result r = StreamingBench.run(dir, write, epochs, batch, seed, System.out::println);
        double mb = 1 << 20;
        System.out.printf(
                Locale.ROOT,
                "%nimages: %,d (%,d training, %,d test), %dx%d colour; written in %.1f s (0 = already there)%n",
                r.images(),
                r.trainImages(),
                r.testImages(),
                r.side(),
                r.side(),
                r.writeSeconds());
        System.out.printf(
                Locale.ROOT,
                "decoded set: %,.0f MB as floats (the in-memory path reserves %,.0f MB); max heap %,.0f MB%n",
                r.decodedBytes() / mb,
                r.inMemoryEstimateBytes() / mb,
                r.maxHeapBytes() / mb);
        System.out.printf(
                Locale.ROOT,
                "peak heap used %,.0f MB (sum of the heap pools' peaks); peak resident (VmHWM) %,.0f MB%n",
                r.peakHeapBytes() / mb,
                r.vmHwmBytes() / mb);
        System.out.printf(
                Locale.ROOT,
                "first pass (check every image): %.1f s, %,.0f images/s; normalisation pass: %.1f s%n",
                r.scanSeconds(),
                r.scanImagesPerSecond(),
                r.normalizationSeconds());
        System.out.printf(
                Locale.ROOT,
                "training: %d epoch(s), batch %d, %.1f s, %,.0f images/s trained; decoding threads (%d) can deliver"
                        + " %,.0f images/s; trainer waited %.1f%% of its time for data; at most %d of %d minibatches"
                        + " ahead%n",
                r.epochs(),
                r.batch(),
                r.trainSeconds(),
                r.trainImagesPerSecond(),
                r.stats().threads(),
                r.stats().examplesPerSecond(),
                100 * r.trainWaitShare(),
                r.stats().largestWindow(),
                r.stats().prefetch());
        System.out.printf(Locale.ROOT, "test accuracy (streamed test split): %.4f%n", r.testAccuracy());
        System.out.println("RESULT " + r.toString());
    }
}
