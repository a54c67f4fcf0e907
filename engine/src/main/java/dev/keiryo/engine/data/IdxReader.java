package dev.keiryo.engine.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (big-endian header, then unsigned bytes), raw
 * or gzip-compressed; gzip is recognised by its magic bytes so renamed files still work. Every
 * malformation becomes a {@link DataFormatException} naming the file, because a half-loaded or
 * silently misaligned data set trains a useless model without any visible error.
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    private static final int UNSIGNED_BYTE = 0x08;
    // Far beyond any real IDX image; larger values mean a corrupt header, not a big image.
    private static final int MAX_SIDE = 4096;
    // Java arrays stop just short of Integer.MAX_VALUE.
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8L;
    private static final int CHUNK = 1 << 16;

    private IdxReader() {}

    /** Reads 10-class image data, e.g. MNIST or Fashion-MNIST. */
    public static Dataset read(Path images, Path labels, String name, List<String> classNames) {
        return read(ByteSource.of(images), ByteSource.of(labels), name, 10, classNames);
    }

    public static Dataset read(Path images, Path labels, String name, int numClasses, List<String> classNames) {
        return read(ByteSource.of(images), ByteSource.of(labels), name, numClasses, classNames);
    }

    /**
     * Reads an IDX image file and its label file into a data set.
     *
     * @param numClasses labels must lie in 0..numClasses-1
     * @param classNames one per class, or empty when the classes are only numbered
     */
    public static Dataset read(
            ByteSource images, ByteSource labels, String name, int numClasses, List<String> classNames) {
        int[] y = readLabels(labels, numClasses);
        Images x = readImages(images, labels, y.length);
        return new Dataset(name, x.pixels, y, numClasses, 1, x.rows, x.cols, classNames);
    }

    /** Pixels of an IDX3 file as floats 0..255. */
    record Images(int count, int rows, int cols, float[] pixels) {}

    static int[] readLabels(ByteSource src, int numClasses) {
        String what = "IDX labels file " + src;
        try (DataInputStream in = open(src)) {
            Header h = readHeader(in, what, LABELS_MAGIC, 1);
            int count = h.dims[0];
            checkDimension(what, "label count", count, Integer.MAX_VALUE);
            // Read before allocating by the header's count: a corrupt count must not claim gigabytes.
            byte[] raw = in.readNBytes(count);
            if (raw.length < count) {
                throw truncated(what, "the " + count + " labels its header declares", count, raw.length);
            }
            checkNoTrailingBytes(in, what, count + " labels");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xFF;
                if (labels[i] >= numClasses) {
                    throw new DataFormatException(what + ": the label at index " + i + " is "
                            + labels[i] + " but labels must be 0.." + (numClasses - 1)
                            + "; the file is corrupt or is not a " + numClasses + "-class labels file.");
                }
            }
            return labels;
        } catch (IOException e) {
            throw ioFailure(what, e);
        }
    }

    /**
     * @param labels the labels file, named in the error when the counts differ
     * @param expectedCount the number of labels, checked right after the header so a mismatch
     *     is reported before 47 MB of pixels are decoded
     */
    static Images readImages(ByteSource src, ByteSource labels, int expectedCount) {
        String what = "IDX images file " + src;
        try (DataInputStream in = open(src)) {
            Header h = readHeader(in, what, IMAGES_MAGIC, 3);
            int count = h.dims[0];
            int rows = h.dims[1];
            int cols = h.dims[2];
            checkDimension(what, "image count", count, Integer.MAX_VALUE);
            checkDimension(what, "row count", rows, MAX_SIDE);
            checkDimension(what, "column count", cols, MAX_SIDE);
            long total = (long) count * rows * cols;
            if (total > MAX_VALUES) {
                throw new DataFormatException(what + " declares " + count + " images of " + rows + "x"
                        + cols + ", more pixels than one data set can hold (" + MAX_VALUES
                        + "); split the file or check that its header is not corrupt.");
            }
            if (count != expectedCount) {
                throw new DataFormatException(what + " has " + count + " images but IDX labels file "
                        + labels + " has " + expectedCount
                        + " labels; use an images file and a labels file from the same set.");
            }
            float[] pixels = readPixels(
                    in, (int) total, what, "the " + count + " images of " + rows + "x" + cols + " its header declares");
            checkNoTrailingBytes(in, what, count + " images");
            return new Images(count, rows, cols, pixels);
        } catch (IOException e) {
            throw ioFailure(what, e);
        }
    }

    private record Header(int[] dims) {}

    private static Header readHeader(DataInputStream in, String what, int magic, int dimCount) throws IOException {
        byte[] m = new byte[4];
        int got = readUpTo(in, m, 0, 4);
        if (got == 0) {
            throw new DataFormatException(
                    what + " is empty; expected an IDX file starting with magic " + hex(magic) + ".");
        }
        if (got < 4) {
            throw truncated(what, "the IDX magic number", 4, got);
        }
        int found = ((m[0] & 0xFF) << 24) | ((m[1] & 0xFF) << 16) | ((m[2] & 0xFF) << 8) | (m[3] & 0xFF);
        if (found != magic) {
            throw badMagic(what, magic, found, m);
        }
        byte[] d = new byte[4 * dimCount];
        got = readUpTo(in, d, 0, d.length);
        if (got < d.length) {
            throw truncated(what, "the IDX header", 4 + d.length, 4 + got);
        }
        int[] dims = new int[dimCount];
        for (int i = 0; i < dimCount; i++) {
            dims[i] = ((d[4 * i] & 0xFF) << 24)
                    | ((d[4 * i + 1] & 0xFF) << 16)
                    | ((d[4 * i + 2] & 0xFF) << 8)
                    | (d[4 * i + 3] & 0xFF);
        }
        return new Header(dims);
    }

    private static DataFormatException badMagic(String what, int expected, int found, byte[] m) {
        String kind = expected == IMAGES_MAGIC ? "images" : "labels";
        int other = expected == IMAGES_MAGIC ? LABELS_MAGIC : IMAGES_MAGIC;
        String otherKind = expected == IMAGES_MAGIC ? "labels" : "images";
        if (found == other) {
            return new DataFormatException(what + " has magic " + hex(found) + ", which marks an IDX " + otherKind
                    + " file, not " + kind + "; the images and labels files look swapped.");
        }
        if (m[0] != 0 || m[1] != 0) {
            return new DataFormatException(what + " is not an IDX file: it starts with " + hex(found)
                    + " instead of the magic " + hex(expected) + "; check that it is the " + kind
                    + " file and not some other format.");
        }
        if ((m[2] & 0xFF) != UNSIGNED_BYTE) {
            return new DataFormatException(what + " has data type byte " + String.format("0x%02X", m[2])
                    + " but only 0x08 (unsigned byte) IDX files are supported; expected magic "
                    + hex(expected) + ".");
        }
        return new DataFormatException(what + " declares " + (m[3] & 0xFF) + " dimensions but an IDX "
                + kind + " file has " + (expected & 0xFF) + " (magic " + hex(expected)
                + "); check that it is the " + kind + " file.");
    }

    private static void checkDimension(String what, String field, int value, int max) {
        if (value < 1 || value > max) {
            throw new DataFormatException(what + " declares an absurd " + field + " of "
                    + Integer.toUnsignedString(value) + " (expected 1.." + max
                    + "); its header is corrupt, re-download the file.");
        }
    }

    /**
     * Reads the pixels the header declares. They are read as bytes first, so that what is allocated
     * grows with the bytes that really arrive: a header of a corrupt or crafted file cannot make
     * Keiryo reserve gigabytes for a file of a few bytes.
     */
    private static float[] readPixels(DataInputStream in, int total, String what, String promised) throws IOException {
        byte[] raw = in.readNBytes(total);
        if (raw.length < total) {
            throw truncated(what, promised, total, raw.length);
        }
        float[] out = new float[total];
        for (int i = 0; i < total; i++) {
            out[i] = raw[i] & 0xFF;
        }
        return out;
    }

    private static void checkNoTrailingBytes(InputStream in, String what, String declared) throws IOException {
        long extra = 0;
        byte[] buf = new byte[CHUNK];
        for (int n; (n = in.read(buf)) > 0; ) {
            extra += n;
        }
        if (extra > 0) {
            throw new DataFormatException(what + " has " + extra + " bytes of trailing data after the " + declared
                    + " its header declares; the file is corrupt or its header is wrong.");
        }
    }

    /** Reads until {@code len} bytes or end of stream; returns how many arrived. */
    private static int readUpTo(InputStream in, byte[] buf, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n = in.read(buf, off + total, len - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static DataInputStream open(ByteSource src) throws IOException {
        InputStream raw = new BufferedInputStream(src.open(), CHUNK);
        try {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                raw = new BufferedInputStream(new GZIPInputStream(raw, CHUNK), CHUNK);
            }
            return new DataInputStream(raw);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static DataFormatException truncated(String what, String promised, long expected, long found) {
        return new DataFormatException(what + " is truncated: expected " + expected + " bytes for " + promised
                + " but found only " + found + "; re-download or re-copy it.");
    }

    private static DataFormatException ioFailure(String what, IOException e) {
        if (e instanceof NoSuchFileException || e instanceof FileNotFoundException) {
            return new DataFormatException(
                    what + " was not found; check the path, or point --data at "
                            + "the folder that holds the IDX files.",
                    e);
        }
        if (e instanceof ZipException || e instanceof EOFException) {
            return new DataFormatException(
                    what + " is a corrupt or truncated gzip file (" + e.getMessage()
                            + "); re-download it or decompress it with gunzip to see the damage.",
                    e);
        }
        return new DataFormatException("Could not read " + what + " (" + e + "); check that the file is readable.", e);
    }

    private static String hex(int v) {
        return String.format("0x%08X", v);
    }
}
