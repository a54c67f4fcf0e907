package dev.keiryo.engine.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes tiny files in the CIFAR binary format, so tests can also write broken ones. */
public final class TestCifar {
    private TestCifar() {}

    /**
     * Records for {@code labels}: pixel j of record i is (i * 11 + j) % 256; CIFAR-100 records carry
     * coarse label {@code label / 5} before the fine label.
     */
    public static byte[] records(Cifar.Kind kind, int... labels) {
        int rec = kind.recordBytes();
        byte[] out = new byte[labels.length * rec];
        for (int i = 0; i < labels.length; i++) {
            int off = i * rec;
            if (kind == Cifar.Kind.CIFAR100) {
                out[off++] = (byte) (labels[i] / 5);
            }
            out[off++] = (byte) labels[i];
            for (int j = 0; j < Cifar.IMAGE_BYTES; j++) {
                out[off + j] = (byte) ((i * 11 + j) % 256);
            }
        }
        return out;
    }

    /** A complete folder: every training file with {@code perFile} records, a test file with 2. */
    public static Path folder(Path dir, Cifar.Kind kind, int perFile) {
        try {
            Files.createDirectories(dir);
            int k = 0;
            for (String f : kind.trainFiles()) {
                int[] labels = new int[perFile];
                for (int i = 0; i < perFile; i++) {
                    labels[i] = k++ % kind.classes;
                }
                Files.write(dir.resolve(f), records(kind, labels));
            }
            Files.write(dir.resolve(kind.testFile), records(kind, 1, kind.classes - 1));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
