package dev.keiryo.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.experiment.DataSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path dir;

    private static final ImageFolder.Options DEFAULTS = new ImageFolder.Options(null, false, 0.2, 42);
    private static final ImageFolder.Options SKIP = new ImageFolder.Options(null, true, 0.2, 42);

    /** Classes blue, green, red with five 8x8 images each, in their own colours. */
    private Path threeColours() {
        Path root = dir.resolve("colours");
        for (int i = 0; i < 5; i++) {
            TestImages.solid(root.resolve("red/r" + i + ".png"), 8, 8, 0xff0000, "png");
            TestImages.solid(root.resolve("green/g" + i + ".bmp"), 8, 8, 0x00ff00, "bmp");
            TestImages.solid(root.resolve("blue/b" + i + ".png"), 8, 8, 0x0000ff, "png");
        }
        return root;
    }

    @Test
    void classFoldersBecomeAStratifiedColourSet() {
        DataBundle b = ImageFolder.read(threeColours(), DEFAULTS);
        Dataset train = b.train();
        assertEquals(List.of("blue", "green", "red"), train.classNames());
        assertEquals(3, train.channels());
        assertEquals(8, train.height(), "the first image's size");
        assertEquals(8, train.width());
        assertArrayEquals(new int[] {4, 4, 4}, train.classCounts());
        assertArrayEquals(new int[] {1, 1, 1}, b.test().classCounts());
        int plane = 64;
        for (Dataset d : List.of(train, b.test())) {
            for (int i = 0; i < d.size(); i++) {
                int label = d.label(i);
                // blue = 0, green = 1, red = 2: that class's channel is 255, the others 0.
                for (int c = 0; c < 3; c++) {
                    float expected = c == 2 - label ? 255 : 0;
                    assertEquals(expected, d.feature(i, c * plane + 5), 0f, d.className(label) + " channel " + c);
                }
            }
        }
        assertTrue(b.description().contains("12 training and 3 test images of 3 classes"), b.description());
        assertTrue(b.description().contains("20% held out as the test set (seed 42)"), b.description());
    }

    @Test
    void splitFollowsTheSeed() {
        Path root = dir.resolve("many");
        for (int i = 0; i < 20; i++) {
            TestImages.grey(root.resolve("a/" + i + ".png"), 4, 4, i);
            TestImages.grey(root.resolve("b/" + i + ".png"), 4, 4, 100 + i);
        }
        DataBundle one = ImageFolder.read(root, DEFAULTS);
        DataBundle same = ImageFolder.read(root, DEFAULTS);
        DataBundle other = ImageFolder.read(root, new ImageFolder.Options(null, false, 0.2, 7));
        assertArrayEquals(one.test().features(), same.test().features());
        assertNotEquals(
                Arrays.toString(one.test().features()),
                Arrays.toString(other.test().features()));
        assertEquals(8, one.test().size());
    }

    @Test
    void trainAndTestFoldersAreUsedAsGiven() {
        Path root = dir.resolve("split");
        for (String side : List.of("train", "test")) {
            int n = side.equals("train") ? 3 : 1;
            for (int i = 0; i < n; i++) {
                TestImages.solid(root.resolve(side + "/cat/" + i + ".jpg"), 10, 10, 0x808080, "jpeg");
                TestImages.solid(root.resolve(side + "/dog/" + i + ".png"), 10, 10, 0xffffff, "png");
            }
        }
        DataBundle b = ImageFolder.read(root, DEFAULTS);
        assertEquals(6, b.train().size());
        assertEquals(2, b.test().size());
        assertEquals(1, b.train().channels(), "an all-grey set is one channel");
        assertTrue(b.description().contains("its test/ folder"), b.description());
    }

    @Test
    void unknownTestClassIsNamed() {
        Path root = dir.resolve("split");
        TestImages.grey(root.resolve("train/a/0.png"), 4, 4, 0);
        TestImages.grey(root.resolve("train/b/0.png"), 4, 4, 0);
        TestImages.grey(root.resolve("test/c/0.png"), 4, 4, 0);
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.read(root, DEFAULTS));
        assertTrue(e.getMessage().contains(root.resolve("test/c").toString()), e.getMessage());
    }

    @Test
    void aSetTooLargeForTheHeapStopsBeforeDecodingWithoutStreamingAndStreamsWithIt() {
        Path root = threeColours();
        ImageFolder.Options inMemory = new ImageFolder.Options(null, false, 0.2, 42, DataSpec.Streaming.OFF);
        // 15 files of 8x8 need 15 * 64 * 28 = 26,880 bytes; 20,000 bytes of heap are too few.
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.read(root, inMemory, 20_000));
        assertTrue(e.getMessage().contains("holds 15 files"), e.getMessage());
        assertTrue(e.getMessage().contains("--image-size"), e.getMessage());
        assertEquals(15, ImageFolder.read(root, inMemory, 40_000).train().size() + 3);
        Dataset streamed = ImageFolder.read(root, DEFAULTS, 20_000).train();
        assertTrue(streamed.streamed(), "auto streams what would not fit");
        assertEquals(12, streamed.size());
    }

    @Test
    void trainWithoutTestIsNamed() {
        Path root = dir.resolve("half");
        TestImages.grey(root.resolve("train/a/0.png"), 4, 4, 0);
        TestImages.grey(root.resolve("train/b/0.png"), 4, 4, 0);
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.read(root, DEFAULTS));
        assertTrue(e.getMessage().contains("has a train/ folder but no test/ folder"), e.getMessage());
    }

    @Test
    void greyImagesInAColourSetBecomeThreeEqualChannels() {
        Path root = dir.resolve("mixed");
        TestImages.grey(root.resolve("a/0.png"), 4, 4, 77);
        TestImages.grey(root.resolve("a/1.png"), 4, 4, 78);
        TestImages.solid(root.resolve("b/0.png"), 4, 4, 0x102030, "png");
        TestImages.solid(root.resolve("b/1.png"), 4, 4, 0x102030, "png");
        DataBundle b = ImageFolder.read(root, new ImageFolder.Options(null, false, 0.5, 1));
        Dataset all = b.train();
        assertEquals(3, all.channels());
        int grey = all.label(0) == 0 ? 0 : 1;
        float v = all.feature(grey, 0);
        assertTrue(v == 77 || v == 78, "grey value " + v);
        assertEquals(v, all.feature(grey, 16), 0f);
        assertEquals(v, all.feature(grey, 32), 0f);
    }

    @Test
    void imageSizeResizesWithAveraging() {
        Path root = dir.resolve("sizes");
        // 16x16: left half black, right half white; shrunk to 4x4 each side keeps its value, and to
        // 1x1 the average is mid grey (a nearest-neighbour shrink would give 0 or 255).
        java.awt.image.BufferedImage img =
                new java.awt.image.BufferedImage(16, 16, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) {
            for (int x = 8; x < 16; x++) {
                img.getRaster().setSample(x, y, 0, 255);
            }
        }
        TestImages.write(root.resolve("a/0.png"), img, "png");
        TestImages.grey(root.resolve("b/0.png"), 30, 20, 9);
        TestImages.grey(root.resolve("b/1.png"), 3, 3, 9);
        DataBundle b = ImageFolder.read(root, new ImageFolder.Options(4, false, 0.5, 3));
        assertEquals(4, b.train().height());
        float[] halves = firstOfClass(b, 0);
        assertEquals(0, halves[0], 1f);
        assertEquals(255, halves[3], 1f);
        assertTrue(b.description().contains("resized to 4x4"), b.description());

        float[] one = firstOfClass(ImageFolder.read(root, new ImageFolder.Options(1, false, 0.5, 3)), 0);
        assertEquals(127.5, one[0], 20, "an area average, not a nearest pixel");
    }

    private static float[] firstOfClass(DataBundle b, int label) {
        for (Dataset d : List.of(b.train(), b.test())) {
            for (int i = 0; i < d.size(); i++) {
                if (d.label(i) == label) {
                    return d.row(i);
                }
            }
        }
        throw new AssertionError("no example of class " + label);
    }

    @Test
    void largeFirstImageDefaultsTo32() {
        Path root = dir.resolve("large");
        TestImages.grey(root.resolve("a/0.png"), 200, 100, 50);
        TestImages.grey(root.resolve("b/0.png"), 200, 100, 60);
        assertEquals(
                32,
                ImageFolder.read(root, new ImageFolder.Options(null, false, 0.5, 3))
                        .train()
                        .height());
    }

    @Test
    void sixteenBitGreyAndCmykAreRead() {
        Path root = dir.resolve("odd");
        TestImages.grey16(root.resolve("a/deep.png"), 6, 6, 0x8000);
        TestImages.grey16(root.resolve("a/deep2.png"), 6, 6, 0xffff);
        TestImages.cmykJpeg(root.resolve("b/print.jpg"), 6, 6);
        TestImages.cmykJpeg(root.resolve("b/print2.jpg"), 6, 6);
        DataBundle b = ImageFolder.read(root, new ImageFolder.Options(null, false, 0.5, 3));
        assertEquals(2, b.train().size());
        assertEquals(2, b.test().size());
    }

    // ---- bad files: one sentence naming the file, or skipped and counted ----

    private Path withBadFile(String name, byte[] content) throws IOException {
        Path root = threeColours();
        Files.write(root.resolve("red").resolve(name), content);
        return root;
    }

    private static byte[] truncatedPng() throws IOException {
        Path tmp = Files.createTempFile("whole", ".png");
        try {
            TestImages.solid(tmp, 16, 16, 0x123456, "png");
            byte[] whole = Files.readAllBytes(tmp);
            return Arrays.copyOf(whole, whole.length / 2);
        } finally {
            Files.delete(tmp);
        }
    }

    private void assertNamedAndSkippable(Path root, String name, String says) {
        Path file = root.resolve("red").resolve(name);
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.read(root, DEFAULTS));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(says), e.getMessage());
        assertTrue(e.getMessage().endsWith("or pass --skip-bad-images to skip such files."), e.getMessage());
        DataBundle b = ImageFolder.read(root, SKIP);
        assertEquals(15, b.train().size() + b.test().size());
        assertTrue(b.description().contains("skipped 1 unreadable file (" + file + ")"), b.description());
    }

    @Test
    void truncatedImage() throws IOException {
        assertNamedAndSkippable(withBadFile("cut.png", truncatedPng()), "cut.png", "could not be decoded");
    }

    @Test
    void corruptImage() throws IOException {
        byte[] junk = truncatedPng();
        for (int i = 40; i < junk.length; i++) {
            junk[i] = (byte) (i * 31);
        }
        assertNamedAndSkippable(withBadFile("junk.png", junk), "junk.png", "could not be decoded");
    }

    @Test
    void zeroByteFile() throws IOException {
        assertNamedAndSkippable(withBadFile("empty.png", new byte[0]), "empty.png", "is empty (0 bytes)");
    }

    @Test
    void nonImageFile() throws IOException {
        assertNamedAndSkippable(
                withBadFile("notes.txt", "not a picture".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "notes.txt",
                "is not an image");
    }

    @Test
    void emptyClassFolder() throws IOException {
        Path root = threeColours();
        Path empty = Files.createDirectories(root.resolve("yellow"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.read(root, DEFAULTS));
        assertTrue(e.getMessage().startsWith("The class folder " + empty + " holds no image files"), e.getMessage());
        DataBundle b = ImageFolder.read(root, SKIP);
        assertEquals(3, b.train().numClasses());
        assertTrue(b.description().contains("left out 1 empty class folder (" + empty + ")"), b.description());
    }

    @Test
    void hiddenFilesAreNotImages() throws IOException {
        Path root = threeColours();
        Files.write(root.resolve("red/.DS_Store"), new byte[] {1, 2, 3});
        Files.createDirectories(root.resolve(".git"));
        assertEquals(3, ImageFolder.read(root, DEFAULTS).train().numClasses());
    }

    @Test
    void missingFolderOrNoClasses() throws IOException {
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> ImageFolder.read(dir.resolve("nope"), DEFAULTS));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        Path flat = dir.resolve("flat");
        TestImages.grey(flat.resolve("0.png"), 4, 4, 0);
        e = assertThrows(DataFormatException.class, () -> ImageFolder.read(flat, DEFAULTS));
        assertTrue(e.getMessage().contains("has no class sub-folders"), e.getMessage());
    }

    @Test
    void testSetForAModelMatchesItsClassesSizeAndChannels() {
        Path root = dir.resolve("eval");
        TestImages.solid(root.resolve("red/0.png"), 8, 8, 0xff0000, "png");
        TestImages.solid(root.resolve("red/1.png"), 8, 8, 0xff0000, "png");
        TestImages.grey(root.resolve("grey/0.png"), 8, 8, 40);
        List<String> modelClasses = List.of("blue", "grey", "red");

        Dataset colour = ImageFolder.testSet(root, new ImageFolder.Options(4, false, 0.2, 42), 3, modelClasses);
        assertEquals(3, colour.numClasses());
        assertEquals(modelClasses, colour.classNames());
        assertEquals(3, colour.size(), "every image: the folder has no test/ sub-folder");
        assertEquals(4, colour.height());
        assertEquals(3, colour.channels());
        assertArrayEquals(new int[] {0, 1, 2}, colour.classCounts(), "labelled by the model's class names");

        Dataset grey = ImageFolder.testSet(root, new ImageFolder.Options(4, false, 0.2, 42), 1, modelClasses);
        assertEquals(1, grey.channels());
        int red = grey.label(0) == 2 ? 0 : 1;
        assertEquals(Math.round(0.299f * 255), grey.feature(red, 0), 0f, "colour becomes its luma for a grey model");

        TestImages.grey(root.resolve("green/0.png"), 8, 8, 0);
        DataFormatException e = assertThrows(
                DataFormatException.class,
                () -> ImageFolder.testSet(root, new ImageFolder.Options(4, false, 0.2, 42), 3, modelClasses));
        assertTrue(e.getMessage().contains("green is not one of the model's classes"), e.getMessage());
    }

    @Test
    void testSetPrefersTheTestFolder() {
        Path root = dir.resolve("split");
        TestImages.grey(root.resolve("train/a/0.png"), 4, 4, 0);
        TestImages.grey(root.resolve("train/b/0.png"), 4, 4, 0);
        TestImages.grey(root.resolve("test/b/0.png"), 4, 4, 9);
        Dataset t = ImageFolder.testSet(root, DEFAULTS, 1, List.of("a", "b"));
        assertEquals(1, t.size());
        assertEquals(1, t.label(0));
    }

    @Test
    void loadedThroughTheImagesSource() {
        Path root = threeColours();
        DataBundle b = DataSources.load(new DataRequest("images", root, null, null, 0.2, 42, 6, false));
        assertEquals(6, b.train().height());
        assertEquals(12, b.train().size());
    }

    // Found by the reader fuzzer: a header that declares a huge image made the decoder reserve its raster first.
    @Test
    void anImageHeaderDeclaringFarMorePixelsThanTheFileHoldsIsRefusedBeforeDecoding() throws IOException {
        Path root = dir.resolve("liar");
        TestImages.solid(root.resolve("a/ok.png"), 4, 4, 0x336699, "png");
        Path liar = TestImages.solid(root.resolve("b/liar.png"), 4, 4, 0x996633, "png");
        byte[] b = Files.readAllBytes(liar);
        // IHDR's width and height follow the 8-byte signature, the chunk length and its type.
        java.nio.ByteBuffer.wrap(b).putInt(16, 5000).putInt(20, 5000);
        Files.write(liar, b);
        long before = allocated();

        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.read(root, DEFAULTS));

        assertTrue(
                e.getMessage().contains(liar.toString()) && e.getMessage().contains("declares 5000x5000 pixels"),
                e.getMessage());
        assertTrue(allocated() - before < (16 << 20), "allocated " + (allocated() - before) + " bytes");
    }

    // Found by the reader fuzzer: a BMP declaring an embedded JPEG of 268 MB had Java's reader allocate it.
    @Test
    void aBmpDeclaringMoreEmbeddedDataThanTheFileHoldsIsRefusedBeforeDecoding() throws IOException {
        Path root = dir.resolve("bmp");
        TestImages.solid(root.resolve("a/ok.png"), 4, 4, 0x336699, "png");
        Path liar = TestImages.solid(root.resolve("b/liar.bmp"), 4, 4, 0x996633, "bmp");
        byte[] b = Files.readAllBytes(liar);
        // The info header's compression (4: JPEG) and image size, little-endian.
        java.nio.ByteBuffer.wrap(b)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(0x1e, 4)
                .putInt(0x22, 0x10000030);
        Files.write(liar, b);
        long before = allocated();

        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.read(root, DEFAULTS));

        assertTrue(
                e.getMessage().contains(liar.toString()) && e.getMessage().contains("268435504 bytes of embedded JPEG"),
                e.getMessage());
        assertTrue(allocated() - before < (16 << 20), "allocated " + (allocated() - before) + " bytes");
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
