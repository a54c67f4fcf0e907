package dev.keiryo.engine.data;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * The examples of a streamed image data set: the files, read and decoded again whenever an example
 * is needed, resized and converted exactly as {@link ImageFolder} does when it decodes a set into
 * memory, so both give the same values.
 *
 * <p>With --skip-bad-images, bad files were left out when the folder was first read; a file that
 * went bad since cannot be skipped any more (an epoch's size is fixed), and its sentence says so.
 */
final class ImageFiles {
    private final Path[] files;
    private final int side;
    private final int channels;
    private final boolean skipBad;

    ImageFiles(Path[] files, int side, int channels, boolean skipBad) {
        this.files = files;
        this.side = side;
        this.channels = channels;
        this.skipBad = skipBad;
    }

    int side() {
        return side;
    }

    int channels() {
        return channels;
    }

    Path file(int i) {
        return files[i];
    }

    int size() {
        return files.length;
    }

    /** The files at {@code indices}, in that order. */
    ImageFiles subset(int[] indices) {
        Path[] out = new Path[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= files.length) {
                throw new IndexOutOfBoundsException("index " + i + " outside 0.." + (files.length - 1));
            }
            out[k] = files[i];
        }
        return new ImageFiles(out, side, channels, skipBad);
    }

    /** Decodes file {@code i} into {@code dst} from {@code offset}, channels x side x side raw values. */
    void read(int i, float[] dst, int offset) {
        Path file = files[i];
        BufferedImage img;
        try {
            img = ImageDecoder.decode(file);
        } catch (DataFormatException e) {
            throw skipBad ? changed(e) : ImageFolder.explain(e);
        }
        ImageFolder.toFloats(ImageDecoder.resizedRgb(img, side), channels, dst, offset);
    }

    private static DataFormatException changed(DataFormatException e) {
        String m = e.getMessage();
        return new DataFormatException(
                m.substring(0, m.length() - 1) + "; it could be read when the folder was first read, so it changed"
                        + " on disk since, and a streamed epoch cannot skip it any more: restore or remove it and"
                        + " start again.",
                e);
    }
}
