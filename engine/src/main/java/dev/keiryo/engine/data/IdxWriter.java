package dev.keiryo.engine.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a data set back as an IDX images + labels pair, the inverse of {@link IdxReader}: used to
 * cut the bundled sample out of the full set and to export subsets other tools can read.
 */
public final class IdxWriter {
    private IdxWriter() {}

    /**
     * Writes both files; {@code gzip} compresses them at the best level (Java writes a zero
     * timestamp, so the bytes are reproducible).
     *
     * @throws IllegalArgumentException if a feature is not an integer 0..255 or a label is over 255
     */
    public static void write(Dataset data, Path images, Path labels, boolean gzip) throws IOException {
        if (data.channels() != 1) {
            throw new IllegalArgumentException("IDX3 holds single-channel images, got " + data.channels());
        }
        try (DataOutputStream out = open(images, gzip)) {
            out.writeInt(IdxReader.IMAGES_MAGIC);
            out.writeInt(data.size());
            out.writeInt(data.height());
            out.writeInt(data.width());
            byte[] row = new byte[data.featureCount()];
            float[] f = data.features();
            for (int i = 0, k = 0; i < data.size(); i++) {
                for (int j = 0; j < row.length; j++, k++) {
                    row[j] = toByte(f[k], "feature " + j + " of example " + i);
                }
                out.write(row);
            }
        }
        try (DataOutputStream out = open(labels, gzip)) {
            out.writeInt(IdxReader.LABELS_MAGIC);
            out.writeInt(data.size());
            for (int i = 0; i < data.size(); i++) {
                out.write(toByte(data.label(i), "label of example " + i));
            }
        }
    }

    private static byte toByte(float v, String where) {
        if (!(v >= 0 && v <= 255) || v != Math.rint(v)) {
            throw new IllegalArgumentException(where + " is " + v + ", not an integer 0..255");
        }
        return (byte) (int) v;
    }

    private static DataOutputStream open(Path path, boolean gzip) throws IOException {
        OutputStream out = Files.newOutputStream(path);
        if (gzip) {
            out = new GZIPOutputStream(out, 1 << 16) {
                {
                    def.setLevel(Deflater.BEST_COMPRESSION);
                }
            };
        }
        return new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
    }
}
