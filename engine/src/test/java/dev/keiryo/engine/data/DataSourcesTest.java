package dev.keiryo.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keiryo.engine.api.KeiryoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesTest {
    /** The sample in the source tree, for runs before assets/data is on the class path. */
    private static final Path SAMPLE_DIR = Path.of("..", "assets", "data", "fashion-mnist-sample");

    @TempDir
    Path dir;

    private static void assertSample(DataBundle b) {
        assertEquals(5000, b.train().size());
        assertEquals(2000, b.test().size());
        for (Dataset d : List.of(b.train(), b.test())) {
            assertEquals(10, d.numClasses());
            assertEquals(784, d.featureCount());
            assertEquals(28, d.height());
        }
        int[] train = new int[10];
        int[] test = new int[10];
        java.util.Arrays.fill(train, 500);
        java.util.Arrays.fill(test, 200);
        assertArrayEquals(train, b.train().classCounts());
        assertArrayEquals(test, b.test().classCounts());
    }

    @Test
    void bundledSampleOnClassPath() {
        assumeTrue(
                ByteSource.ofResource(DataSources.SAMPLE_RESOURCES + "train-images-idx3-ubyte.gz")
                        .exists(),
                "assets/data is not on the test class path yet");
        DataBundle b = DataSources.load("sample", null);
        assertSample(b);
        assertEquals("Ankle boot", b.train().className(9));
    }

    @Test
    void sampleFilesInSourceTree() throws IOException {
        assertSample(DataSources.idxFolder(SAMPLE_DIR, "sample", Dataset.FASHION_MNIST_CLASSES));
        long total = 0;
        for (String f : List.of(
                "train-images-idx3-ubyte.gz",
                "train-labels-idx1-ubyte.gz",
                "test-images-idx3-ubyte.gz",
                "test-labels-idx1-ubyte.gz")) {
            total += Files.size(SAMPLE_DIR.resolve(f));
        }
        assertTrue(total <= 5L * 1024 * 1024, "sample is " + total + " bytes");
    }

    /** A four-file folder of tiny images, mixing name spellings and compression. */
    private Path tinyFolder() throws IOException {
        Path f = Files.createDirectories(dir.resolve("tiny"));
        TestIdx.write(f, "train-images.idx3-ubyte", TestIdx.images(4, 3, 3));
        TestIdx.write(f, "train-labels.idx1-ubyte", TestIdx.labels(0, 1, 2, 3));
        TestIdx.write(f, "t10k-images-idx3-ubyte.gz", TestIdx.gzip(TestIdx.images(2, 3, 3)));
        TestIdx.write(f, "t10k-labels-idx1-ubyte.gz", TestIdx.gzip(TestIdx.labels(9, 8)));
        return f;
    }

    private DataSources.Known fakeKnown(Path systemPath) {
        return new DataSources.Known(
                "Fashion-MNIST",
                "FAKE_ENV",
                systemPath,
                Dataset.FASHION_MNIST_CLASSES,
                "install it with 'apt-get install dataset-fashion-mnist'");
    }

    @Test
    void explicitFolderWins() throws IOException {
        Path tiny = tinyFolder();
        DataBundle b =
                DataSources.findKnown(fakeKnown(dir.resolve("none")), tiny, Map.of("FAKE_ENV", "/nonexistent")::get);
        assertEquals(4, b.train().size());
        assertEquals(2, b.test().size());
        assertTrue(b.description().contains(tiny.toString()));
        assertEquals("Bag", b.test().className(8));
    }

    @Test
    void environmentVariableThenSystemPath() throws IOException {
        Path tiny = tinyFolder();
        DataBundle fromEnv =
                DataSources.findKnown(fakeKnown(dir.resolve("none")), null, Map.of("FAKE_ENV", tiny.toString())::get);
        assertEquals(4, fromEnv.train().size());
        DataBundle fromSystem = DataSources.findKnown(fakeKnown(tiny), null, k -> null);
        assertTrue(fromSystem.description().contains(tiny.toString()));
    }

    @Test
    void notFoundSaysWhereItLookedAndHowToFix() {
        Path none = dir.resolve("none");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> DataSources.findKnown(fakeKnown(none), null, k -> null));
        String m = e.getMessage();
        for (String s : List.of("$FAKE_ENV", none.toString(), "apt-get install dataset-fashion-mnist", "--data")) {
            assertTrue(m.contains(s), () -> "should mention " + s + ": " + m);
        }
    }

    @Test
    void incompleteExplicitFolderNamesTheMissingFiles() throws IOException {
        Path tiny = tinyFolder();
        Files.delete(tiny.resolve("t10k-labels-idx1-ubyte.gz"));
        DataFormatException e = assertThrows(
                DataFormatException.class,
                () -> DataSources.findKnown(fakeKnown(dir.resolve("none")), tiny, k -> null));
        assertTrue(e.getMessage().contains(tiny.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte"), e.getMessage());
    }

    @Test
    void idxSourceNeedsAPath() {
        KeiryoException e = assertThrows(KeiryoException.class, () -> DataSources.load("idx", null));
        assertTrue(e.getMessage().contains("--data"), e.getMessage());
        assertThrows(KeiryoException.class, () -> DataSources.load("parquet", dir));
    }

    @Test
    void idxSourceReadsAFolder() throws IOException {
        DataBundle b = DataSources.load("idx", tinyFolder());
        assertEquals(4, b.train().size());
        assertTrue(b.train().classNames().isEmpty());
    }

    @Test
    void csvWithoutTestFileHoldsOutASeededStratifiedShare() throws IOException {
        StringBuilder text = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 100; i++) {
            text.append(i)
                    .append(',')
                    .append(2 * i)
                    .append(',')
                    .append(i % 2 == 0 ? "even" : "odd")
                    .append('\n');
        }
        Path csv = Files.writeString(dir.resolve("nums.csv"), text);
        DataRequest spec = new DataRequest("csv", csv, null, LabelColumn.of("label"), 0.2, 9);
        DataBundle a = DataSources.load(spec);
        DataBundle b = DataSources.load(spec);
        assertEquals(80, a.train().size());
        assertArrayEquals(new int[] {10, 10}, a.test().classCounts());
        assertArrayEquals(a.test().features(), b.test().features());
        assertEquals(List.of("even", "odd"), a.test().classNames());
    }

    @Test
    void csvWithTestFile() throws IOException {
        Path train = Files.writeString(dir.resolve("train.csv"), "x,y\n1,a\n2,b\n");
        Path test = Files.writeString(dir.resolve("test.csv"), "x,y\n3,b\n");
        DataBundle b = DataSources.load(new DataRequest("csv", train, test, LabelColumn.of("y"), 0, 0));
        assertArrayEquals(new int[] {1}, b.test().labels());
    }

    @Test
    void fullFashionMnistWhenInstalled() {
        assumeTrue(Files.isDirectory(DataSources.FASHION_MNIST_SYSTEM), "full set not installed");
        DataBundle b = DataSources.findKnown(DataSources.FASHION_MNIST, null, k -> null);
        assertEquals(60000, b.train().size());
        assertEquals(10000, b.test().size());
    }
}
