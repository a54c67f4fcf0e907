package dev.keiryo.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarTest {
    @TempDir
    Path dir;

    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void readsCifar10ChannelFirstWithPublishedNames() {
        Path f = TestCifar.folder(dir.resolve("c10"), Cifar.Kind.CIFAR10, 3);
        DataBundle b = Cifar.load(Cifar.Kind.CIFAR10, f, NO_ENV::get, dir);
        Dataset train = b.train();
        assertEquals(15, train.size());
        assertEquals(2, b.test().size());
        assertEquals(3, train.channels());
        assertEquals(32, train.height());
        assertEquals(32, train.width());
        assertEquals(10, train.numClasses());
        assertEquals("airplane", train.className(0));
        assertEquals("truck", train.className(9));
        // Records 0..14 over the five files carry labels 0..9, 0..4 in order.
        assertEquals(4, train.label(4));
        assertEquals(2, train.label(12));
        // Record i's byte j is (i * 11 + j) % 256 within its own file; record 4 is file 2's record 1.
        assertEquals((11 + 1024) % 256, train.feature(4, 1024), 0f, "green plane starts at 1024");
        assertEquals(9, b.test().label(1));
        assertTrue(b.description().contains("CIFAR-10"), b.description());
    }

    @Test
    void cifar100UsesTheFineLabelAndTheNamesFile() throws IOException {
        Path f = TestCifar.folder(dir.resolve("c100"), Cifar.Kind.CIFAR100, 7);
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            names.add("class" + i);
        }
        Files.write(f.resolve("fine_label_names.txt"), names);
        DataBundle b = Cifar.load(Cifar.Kind.CIFAR100, f, NO_ENV::get, dir);
        assertEquals(7, b.train().size());
        assertEquals(100, b.train().numClasses());
        assertEquals(6, b.train().label(6), "the fine label, not the coarse one (6 / 5 = 1)");
        assertEquals(99, b.test().label(1));
        assertEquals("class42", b.train().className(42));
    }

    @Test
    void publishedCifar100NamesWithoutNamesFile() {
        Path f = TestCifar.folder(dir.resolve("c100"), Cifar.Kind.CIFAR100, 1);
        Dataset train = Cifar.load(Cifar.Kind.CIFAR100, f, NO_ENV::get, dir).train();
        assertEquals(100, Cifar.CIFAR100_CLASSES.size());
        assertEquals("apple", train.className(0));
        assertEquals("worm", train.className(99));
    }

    @Test
    void foundThroughEnvironmentAndArchiveSubFolderAndHome() {
        Path base = dir.resolve("envdir");
        TestCifar.folder(base.resolve("cifar-10-batches-bin"), Cifar.Kind.CIFAR10, 1);
        DataBundle b = Cifar.load(Cifar.Kind.CIFAR10, null, Map.of("KEIRYO_CIFAR10", base.toString())::get, dir);
        assertEquals(5, b.train().size());

        Path home = dir.resolve("home");
        TestCifar.folder(home.resolve(".keiryo/datasets/cifar10"), Cifar.Kind.CIFAR10, 2);
        assertEquals(
                10,
                Cifar.load(Cifar.Kind.CIFAR10, null, NO_ENV::get, home).train().size());
    }

    @Test
    void missingSetSaysHowToGetIt() {
        DataFormatException e = assertThrows(
                DataFormatException.class,
                () -> Cifar.load(Cifar.Kind.CIFAR10, null, NO_ENV::get, dir.resolve("nohome")));
        assertTrue(e.getMessage().contains("CIFAR-10 was not found"), e.getMessage());
        assertTrue(e.getMessage().contains("cifar-10-binary.tar.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("KEIRYO_CIFAR10"), e.getMessage());

        DataFormatException given = assertThrows(
                DataFormatException.class,
                () -> Cifar.load(Cifar.Kind.CIFAR100, dir.resolve("nothing"), NO_ENV::get, dir));
        assertTrue(given.getMessage().contains(dir.resolve("nothing") + " (the folder given) does not exist"));
    }

    @Test
    void truncatedFileIsNamed() throws IOException {
        Path f = TestCifar.folder(dir.resolve("c10"), Cifar.Kind.CIFAR10, 2);
        Path batch = f.resolve("data_batch_3.bin");
        byte[] whole = Files.readAllBytes(batch);
        Files.write(batch, Arrays.copyOf(whole, whole.length - 100));
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> Cifar.load(Cifar.Kind.CIFAR10, f, NO_ENV::get, dir));
        assertTrue(e.getMessage().startsWith("CIFAR-10 file " + batch + " has 6046 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("3073-byte records"), e.getMessage());
    }

    @Test
    void cifar10FilesReadAsCifar100AreRefused() throws IOException {
        // CIFAR-10 records are one byte short of CIFAR-100 ones.
        Path f = Files.createDirectories(dir.resolve("wrong"));
        Files.write(f.resolve("train.bin"), TestCifar.records(Cifar.Kind.CIFAR10, 1, 2));
        Files.write(f.resolve("test.bin"), TestCifar.records(Cifar.Kind.CIFAR100, 1));
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> Cifar.load(Cifar.Kind.CIFAR100, f, NO_ENV::get, dir));
        assertTrue(e.getMessage().contains(f.resolve("train.bin").toString()), e.getMessage());
    }

    @Test
    void missingTrainingBatchIsNamed() throws IOException {
        Path f = TestCifar.folder(dir.resolve("c10"), Cifar.Kind.CIFAR10, 1);
        Files.delete(f.resolve("data_batch_5.bin"));
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> Cifar.load(Cifar.Kind.CIFAR10, f, NO_ENV::get, dir));
        assertTrue(e.getMessage().contains("data_batch_5.bin is missing"), e.getMessage());
    }

    @Test
    void labelOutOfRangeIsNamed() throws IOException {
        Path f = TestCifar.folder(dir.resolve("c10"), Cifar.Kind.CIFAR10, 1);
        Files.write(f.resolve("test_batch.bin"), TestCifar.records(Cifar.Kind.CIFAR10, 3, 12));
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> Cifar.load(Cifar.Kind.CIFAR10, f, NO_ENV::get, dir));
        assertTrue(e.getMessage().contains("has label 12 in record 1"), e.getMessage());
    }

    @Test
    void sourceNameReachesTheReader() {
        Path f = TestCifar.folder(dir.resolve("c10"), Cifar.Kind.CIFAR10, 1);
        assertEquals(5, DataSources.load("cifar10", f).train().size());
    }
}
