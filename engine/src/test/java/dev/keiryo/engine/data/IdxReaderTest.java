package dev.keiryo.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    private Dataset read(Path images, Path labels) {
        return IdxReader.read(images, labels, "t", List.of());
    }

    private DataFormatException failure(Path images, Path labels, Path named, String... phrases) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> read(images, labels));
        String m = e.getMessage();
        assertTrue(m.contains(named.toString()), () -> "message should name " + named + ": " + m);
        for (String phrase : phrases) {
            assertTrue(m.contains(phrase), () -> "message should say '" + phrase + "': " + m);
        }
        return e;
    }

    @Test
    void readsRawFiles() {
        Path im = TestIdx.write(dir, "im", TestIdx.images(3, 2, 2));
        Path lb = TestIdx.write(dir, "lb", TestIdx.labels(1, 0, 9));
        Dataset d = read(im, lb);
        assertEquals(3, d.size());
        assertEquals(4, d.featureCount());
        assertEquals(List.of(1, 2, 2), List.of(d.channels(), d.height(), d.width()));
        assertArrayEquals(new int[] {1, 0, 9}, d.labels());
        assertArrayEquals(new float[] {7, 8, 9, 10}, d.row(1));
        assertEquals(10, d.numClasses());
    }

    @Test
    void detectsGzipByMagicNotByName() {
        byte[] raw = TestIdx.images(5, 3, 3);
        Path im = TestIdx.write(dir, "images.raw", TestIdx.gzip(raw));
        Path lb = TestIdx.write(dir, "labels.gz", TestIdx.labels(0, 1, 2, 3, 4));
        Dataset d = read(im, lb);
        assertEquals(5, d.size());
        float[] expected = new float[45];
        for (int k = 0; k < 45; k++) {
            expected[k] = raw[16 + k] & 0xFF;
        }
        assertArrayEquals(expected, d.features());
    }

    @Test
    void writerRoundTrips() throws Exception {
        Dataset d = read(
                TestIdx.write(dir, "im", TestIdx.images(4, 3, 2)),
                TestIdx.write(dir, "lb", TestIdx.labels(3, 1, 4, 1)));
        for (boolean gz : new boolean[] {false, true}) {
            Path im = dir.resolve("out-im-" + gz);
            Path lb = dir.resolve("out-lb-" + gz);
            IdxWriter.write(d, im, lb, gz);
            Dataset back = read(im, lb);
            assertArrayEquals(d.features(), back.features());
            assertArrayEquals(d.labels(), back.labels());
        }
    }

    @Test
    void wrongMagic() {
        byte[] bad = TestIdx.images(1, 2, 2);
        bad[0] = 0x50;
        Path im = TestIdx.write(dir, "im", bad);
        failure(im, TestIdx.write(dir, "lb", TestIdx.labels(1)), im, "not an IDX file", "0x00000803");
    }

    @Test
    void swappedFiles() {
        Path im = TestIdx.write(dir, "im", TestIdx.images(2, 2, 2));
        Path lb = TestIdx.write(dir, "lb", TestIdx.labels(1, 2));
        failure(lb, im, im, "swapped");
    }

    @Test
    void wrongDataType() {
        byte[] bad = TestIdx.images(1, 2, 2);
        bad[2] = 0x0D;
        Path im = TestIdx.write(dir, "im", bad);
        failure(im, TestIdx.write(dir, "lb", TestIdx.labels(1)), im, "data type", "0x0D");
    }

    @Test
    void wrongDimensionCount() {
        byte[] bad = TestIdx.images(1, 2, 2);
        bad[3] = 2;
        Path im = TestIdx.write(dir, "im", bad);
        failure(im, TestIdx.write(dir, "lb", TestIdx.labels(1)), im, "2 dimensions");
    }

    @Test
    void absurdDimension() {
        byte[] bad = TestIdx.images(1, 2, 2);
        bad[8] = (byte) 0xFF; // rows = 0xFF000002
        Path im = TestIdx.write(dir, "im", bad);
        failure(im, TestIdx.write(dir, "lb", TestIdx.labels(1)), im, "absurd row count");
    }

    @Test
    void zeroImages() {
        Path im = TestIdx.write(dir, "im", TestIdx.images(0, 2, 2));
        Path lb = TestIdx.write(dir, "lb", TestIdx.labels());
        failure(im, lb, lb, "absurd label count of 0");
    }

    @Test
    void truncatedImages() {
        byte[] full = TestIdx.images(3, 2, 2);
        Path im = TestIdx.write(dir, "im", Arrays.copyOf(full, full.length - 5));
        failure(
                im,
                TestIdx.write(dir, "lb", TestIdx.labels(1, 2, 3)),
                im,
                "truncated",
                "expected 12 bytes",
                "found only 7");
    }

    @Test
    void truncatedHeader() {
        Path im = TestIdx.write(dir, "im", Arrays.copyOf(TestIdx.images(3, 2, 2), 10));
        failure(
                im,
                TestIdx.write(dir, "lb", TestIdx.labels(1, 2, 3)),
                im,
                "truncated",
                "expected 16 bytes",
                "found only 10");
    }

    @Test
    void emptyFile() {
        Path im = TestIdx.write(dir, "im", new byte[0]);
        failure(im, TestIdx.write(dir, "lb", TestIdx.labels(1)), im, "empty");
    }

    @Test
    void truncatedGzip() {
        byte[] gz = TestIdx.gzip(TestIdx.images(50, 10, 10));
        Path im = TestIdx.write(dir, "im.gz", Arrays.copyOf(gz, gz.length / 2));
        failure(im, TestIdx.write(dir, "lb", TestIdx.labels(new int[50])), im, "corrupt or truncated gzip");
    }

    @Test
    void corruptGzip() {
        byte[] gz = TestIdx.gzip(TestIdx.images(50, 10, 10));
        for (int i = 12; i < gz.length - 8; i += 3) {
            gz[i] ^= (byte) 0x5A;
        }
        Path im = TestIdx.write(dir, "im.gz", gz);
        failure(im, TestIdx.write(dir, "lb", TestIdx.labels(new int[50])), im, "corrupt or truncated gzip");
    }

    @Test
    void countMismatchNamesBothFiles() {
        Path im = TestIdx.write(dir, "im", TestIdx.images(3, 2, 2));
        Path lb = TestIdx.write(dir, "lb", TestIdx.labels(1, 2));
        DataFormatException e = failure(im, lb, im, "3 images", "2 labels");
        assertTrue(e.getMessage().contains(lb.toString()));
    }

    @Test
    void labelOutOfRange() {
        Path im = TestIdx.write(dir, "im", TestIdx.images(3, 2, 2));
        Path lb = TestIdx.write(dir, "lb", TestIdx.labels(1, 12, 3));
        failure(im, lb, lb, "index 1", "is 12", "0..9");
    }

    @Test
    void labelRangeFollowsNumClasses() {
        Path im = TestIdx.write(dir, "im", TestIdx.images(2, 2, 2));
        Path lb = TestIdx.write(dir, "lb", TestIdx.labels(0, 3));
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> IdxReader.read(im, lb, "t", 3, List.of()));
        assertTrue(e.getMessage().contains("0..2"), e.getMessage());
    }

    @Test
    void missingFile() {
        Path lb = dir.resolve("no-such-labels");
        failure(TestIdx.write(dir, "im", TestIdx.images(1, 2, 2)), lb, lb, "not found", "--data");
    }

    @Test
    void trailingBytes() {
        byte[] ok = TestIdx.images(2, 2, 2);
        Path im = TestIdx.write(dir, "im", Arrays.copyOf(ok, ok.length + 3));
        failure(im, TestIdx.write(dir, "lb", TestIdx.labels(1, 2)), im, "3 bytes of trailing data");
    }

    // Found by the reader fuzzer: a header that declares the most its limits allow, on a file of a few bytes.
    @Test
    void aHugeCountInATinyFileIsRefusedWithoutAllocatingForIt() {
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(16 + 3);
        header.putInt(IdxReader.IMAGES_MAGIC).putInt(2).putInt(4096).putInt(4096);
        Path im = TestIdx.write(dir, "big-im", header.array());
        Path lb = TestIdx.write(dir, "big-lb", TestIdx.labels(1, 2));
        long before = allocated();
        failure(im, lb, im, "truncated");
        assertTrue(allocated() - before < (8 << 20), "allocated " + (allocated() - before) + " bytes for 3 pixels");

        java.nio.ByteBuffer labels = java.nio.ByteBuffer.allocate(8 + 2);
        labels.putInt(IdxReader.LABELS_MAGIC).putInt(Integer.MAX_VALUE);
        Path hugeLabels = TestIdx.write(dir, "huge-lb", labels.array());
        before = allocated();
        failure(TestIdx.write(dir, "im2", TestIdx.images(2, 2, 2)), hugeLabels, hugeLabels, "truncated");
        assertTrue(allocated() - before < (8 << 20), "allocated " + (allocated() - before) + " bytes for 2 labels");
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
