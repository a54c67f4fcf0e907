package dev.keiryo.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.experiment.DataSpec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streaming an image folder from disk gives the examples, order and errors of decoding it into memory. */
class StreamingTest {
    @TempDir
    Path dir;

    private static ImageFolder.Options options(DataSpec.Streaming streaming, boolean skipBad) {
        return new ImageFolder.Options(null, skipBad, 0.25, 5, streaming);
    }

    /** Three classes of twelve 6x6 images of seeded colour noise, so every image differs. */
    private Path noise() {
        Path root = dir.resolve("noise");
        Random random = new Random(3);
        for (String c : List.of("ant", "bee", "cat")) {
            for (int i = 0; i < 12; i++) {
                BufferedImage img = new BufferedImage(6, 6, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 6; y++) {
                    for (int x = 0; x < 6; x++) {
                        img.setRGB(x, y, random.nextInt(1 << 24));
                    }
                }
                TestImages.write(root.resolve(c).resolve(String.format("%02d.png", i)), img, "png");
            }
        }
        return root;
    }

    private static float[] rows(Dataset d) {
        float[] out = new float[d.size() * d.featureCount()];
        for (int i = 0; i < d.size(); i++) {
            d.read(i, out, i * d.featureCount());
        }
        return out;
    }

    /** Every feature value of one pass, in order. */
    private static float[] pass(ArrayDataSetIterator it) {
        List<float[]> parts = new ArrayList<>();
        while (it.hasNext()) {
            parts.add(it.next().getFeatures().reshape(-1).toFloatVector());
        }
        int n = parts.stream().mapToInt(p -> p.length).sum();
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static ArrayDataSetIterator.Builder iterator(Dataset d, Normalizer n) {
        return ArrayDataSetIterator.builder(d)
                .normalization(n)
                .batchSize(5)
                .seed(9)
                .imageShaped(true)
                .augmentation(new Augmentation(true, true));
    }

    @Test
    void streamedSplitsHoldTheDecodedExamplesAndTheSameNormalisation() {
        Path root = noise();
        DataBundle memory = ImageFolder.read(root, options(DataSpec.Streaming.OFF, false));
        DataBundle disk = ImageFolder.read(root, options(DataSpec.Streaming.ON, false));
        assertFalse(memory.train().streamed());
        assertTrue(disk.train().streamed());
        assertTrue(disk.test().streamed());
        assertTrue(disk.description().contains("colour, streamed from disk"), disk.description());
        for (boolean test : new boolean[] {false, true}) {
            Dataset m = test ? memory.test() : memory.train();
            Dataset s = test ? disk.test() : disk.train();
            assertEquals(m.toString().replace(")", ", streamed from disk)"), s.toString());
            assertArrayEquals(m.labels(), s.labels());
            assertArrayEquals(m.features(), rows(s), "the same images in the same order");
        }
        for (Normalizer.Kind kind : Normalizer.Kind.values()) {
            Normalizer a = Normalizer.fit(kind, memory.train());
            Normalizer b = Normalizer.fit(kind, disk.train());
            assertEquals(a.kind(), b.kind());
            if (a.mean() != null) {
                for (int j = 0; j < a.mean().length; j++) {
                    assertEquals(a.mean()[j], b.mean()[j], 1e-4, kind + " mean " + j);
                    assertEquals(a.std()[j], b.std()[j], 1e-4, kind + " std " + j);
                }
            }
        }
    }

    @Test
    void anEpochIsTheSameMinibatchesInTheSameSeededOrderAsInMemory() {
        Path root = noise();
        Dataset memory =
                ImageFolder.read(root, options(DataSpec.Streaming.OFF, false)).train();
        Dataset disk =
                ImageFolder.read(root, options(DataSpec.Streaming.ON, false)).train();
        Normalizer n = Normalizer.fit(Normalizer.Kind.SCALE, memory);
        ArrayDataSetIterator a = iterator(memory, n).build();
        ArrayDataSetIterator b = iterator(disk, n).prefetch(2).build();
        float[] first = pass(b);
        assertArrayEquals(pass(a), first, "epoch 0, augmented alike");
        a.reset();
        b.reset();
        float[] second = pass(b);
        assertArrayEquals(pass(a), second, "epoch 1");
        assertFalse(Arrays.equals(first, second), "a new order and augmentation each epoch");
        assertArrayEquals(second, pass(iterator(disk, n).startEpoch(1).build()), "seeded: a resumed epoch 1 agrees");

        // Without augmentation an epoch is a permutation of the examples: the same multiset of rows.
        ArrayDataSetIterator plain = ArrayDataSetIterator.builder(disk)
                .batchSize(4)
                .seed(1)
                .startEpoch(3)
                .build();
        float[] epoch = pass(plain);
        assertNotEquals(Arrays.toString(rows(memory)), Arrays.toString(epoch), "shuffled");
        assertEquals(sortedRows(rows(memory), memory.featureCount()), sortedRows(epoch, memory.featureCount()));
    }

    private static List<String> sortedRows(float[] values, int d) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < values.length; i += d) {
            out.add(Arrays.toString(Arrays.copyOfRange(values, i, i + d)));
        }
        out.sort(null);
        return out;
    }

    @Test
    void evaluationIteratorsAreNeverAugmentedWhenStreamed() {
        Dataset disk =
                ImageFolder.read(noise(), options(DataSpec.Streaming.ON, false)).test();
        Normalizer n = Normalizer.scale(255f);
        ArrayDataSetIterator eval = ArrayDataSetIterator.builder(disk)
                .normalization(n)
                .batchSize(4)
                .shuffle(false)
                .build();
        assertArrayEquals(n.apply(rows(disk)), pass(eval));
    }

    private static byte[] truncatedPng(Path like) throws IOException {
        byte[] whole = Files.readAllBytes(like);
        return Arrays.copyOf(whole, whole.length / 2);
    }

    @Test
    void aBadImageStopsStreamingWithTheInMemorySentenceOrIsSkippedAndCounted() throws IOException {
        Path root = noise();
        Path bad = root.resolve("bee/05.png");
        Files.write(bad, truncatedPng(bad));
        DataFormatException inMemory = assertThrows(
                DataFormatException.class, () -> ImageFolder.read(root, options(DataSpec.Streaming.OFF, false)));
        DataFormatException streamed = assertThrows(
                DataFormatException.class, () -> ImageFolder.read(root, options(DataSpec.Streaming.ON, false)));
        assertEquals(inMemory.getMessage(), streamed.getMessage());
        assertTrue(streamed.getMessage().contains(bad.toString()), streamed.getMessage());

        DataBundle memorySkip = ImageFolder.read(root, options(DataSpec.Streaming.OFF, true));
        DataBundle diskSkip = ImageFolder.read(root, options(DataSpec.Streaming.ON, true));
        assertEquals(
                memorySkip.description().replace(" colour;", " colour, streamed from disk;"), diskSkip.description());
        assertTrue(diskSkip.description().contains("skipped 1 unreadable file (" + bad + ")"), diskSkip.description());
        assertEquals(35, diskSkip.train().size() + diskSkip.test().size());
    }

    @Test
    void anImageThatGoesBadWhileTrainingStopsTheEpochWithTheInMemorySentence() throws IOException {
        Path root = noise();
        Dataset disk =
                ImageFolder.read(root, options(DataSpec.Streaming.ON, false)).train();
        Path bad = disk.file(3);
        Files.write(bad, truncatedPng(bad));
        String expected = assertThrows(
                        DataFormatException.class, () -> ImageFolder.read(root, options(DataSpec.Streaming.OFF, false)))
                .getMessage();
        ArrayDataSetIterator it =
                ArrayDataSetIterator.builder(disk).batchSize(4).build();
        DataFormatException e = assertThrows(DataFormatException.class, () -> pass(it));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void autoStreamsOnlyWhatWouldNotFitInHalfTheHeap() {
        Path root = noise();
        ImageFolder.Options auto = options(DataSpec.Streaming.AUTO, false);
        // 36 files x 6 x 6 pixels x 28 bytes = 36,288 bytes decoded.
        assertFalse(ImageFolder.read(root, auto, 100_000).train().streamed());
        assertTrue(ImageFolder.read(root, auto, 60_000).train().streamed());
        DataFormatException e = assertThrows(
                DataFormatException.class,
                () -> ImageFolder.read(root, options(DataSpec.Streaming.OFF, false), 40_000));
        assertTrue(e.getMessage().contains("stream them from disk (--streaming on)"), e.getMessage());
    }

    @Test
    void thePrefetchWindowNeverHoldsMoreThanItsBound() throws InterruptedException {
        AtomicInteger started = new AtomicInteger();
        int ahead = 3;
        try (Prefetch<Integer> p = new Prefetch<>(
                40,
                ahead,
                k -> {
                    started.incrementAndGet();
                    return k;
                },
                new LongAdder())) {
            for (int k = 0; k < 40; k++) {
                // A slow consumer: the threads would run far ahead if nothing held them.
                Thread.sleep(2);
                assertTrue(started.get() - k <= ahead, started.get() + " started, " + k + " taken");
                assertEquals(k, p.next());
            }
            assertEquals(ahead, p.largestWindow());
            assertFalse(p.hasNext());
        }
        Dataset disk =
                ImageFolder.read(noise(), options(DataSpec.Streaming.ON, false)).train();
        ArrayDataSetIterator it =
                ArrayDataSetIterator.builder(disk).batchSize(2).prefetch(2).build();
        pass(it);
        StreamStats stats = it.streamStats();
        assertTrue(stats.streamed());
        assertEquals(2, stats.prefetch());
        assertEquals(2, stats.largestWindow(), "the window filled up to its bound and never past it");
        assertEquals(disk.size(), stats.examples());
        assertEquals((disk.size() + 1) / 2, stats.batches());
    }
}
