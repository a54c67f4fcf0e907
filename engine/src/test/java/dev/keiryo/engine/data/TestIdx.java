package dev.keiryo.engine.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds tiny IDX files byte by byte, so tests can also build broken ones. */
final class TestIdx {
    private TestIdx() {}

    /** n images of rows x cols whose pixel j of image i is (i * 7 + j) % 256. */
    static byte[] images(int n, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * rows * cols);
        b.putInt(IdxReader.IMAGES_MAGIC).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < rows * cols; j++) {
                b.put((byte) ((i * 7 + j) % 256));
            }
        }
        return b.array();
    }

    static byte[] labels(int... ys) {
        ByteBuffer b = ByteBuffer.allocate(8 + ys.length);
        b.putInt(IdxReader.LABELS_MAGIC).putInt(ys.length);
        for (int y : ys) {
            b.put((byte) y);
        }
        return b.array();
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tabular data set whose example i has features (i, 10i) and label i % classes. */
    static Dataset table(int n, int classes) {
        float[] f = new float[n * 2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            f[2 * i] = i;
            f[2 * i + 1] = 10 * i;
            y[i] = i % classes;
        }
        return Dataset.tabular("table", f, y, classes, 2, null);
    }
}
