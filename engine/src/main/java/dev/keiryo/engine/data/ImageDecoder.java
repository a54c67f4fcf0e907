package dev.keiryo.engine.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Image files to pixels through javax.imageio (PNG, JPEG, BMP, GIF and what else is installed),
 * with one sentence naming the file for anything it cannot read.
 */
final class ImageDecoder {
    static final long MAX_PIXELS_PER_BYTE = 1 << 14;
    /** 2^27 pixels: a 512 MB raster as Java decodes it, and several times any camera's. */
    static final long MAX_PIXELS = 1L << 27;

    private ImageDecoder() {}

    static {
        // The disk cache only slows small decodes down and needs a writable temporary folder.
        ImageIO.setUseCache(false);
    }

    /** The decoded image; throws {@link DataFormatException} naming {@code file} when it cannot be. */
    static BufferedImage decode(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new DataFormatException("Could not read the image " + file + " (" + e.getMessage() + ").", e);
        }
        if (size == 0) {
            throw new DataFormatException("The image " + file + " is empty (0 bytes); replace or remove it.");
        }
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            img = read(in, file, size);
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataFormatException d) {
                throw d;
            }
            // ImageIO's plug-ins report a truncated or corrupt file as IIOException, and some as
            // runtime exceptions (e.g. an IndexOutOfBoundsException deep in a decoder).
            throw new DataFormatException(
                    "The image " + file + " could not be decoded (" + e.getMessage()
                            + "); it is truncated, corrupt, or in a variant (such as 16-bit or CMYK) that Java's image"
                            + " readers cannot read; re-save it as 8-bit RGB PNG or JPEG, or remove it.",
                    e);
        }
        if (img == null) {
            throw new DataFormatException("The file " + file + " is not an image Java's image readers know (PNG,"
                    + " JPEG, BMP or GIF); move it out of the class folder.");
        }
        if (img.getWidth() < 1 || img.getHeight() < 1) {
            throw new DataFormatException("The image " + file + " has no pixels; replace or remove it.");
        }
        return img;
    }

    /**
     * As {@code ImageIO.read}, but the size the file's header declares is checked before any pixel
     * is allocated: a damaged or crafted header of a few bytes would otherwise have the decoder
     * reserve hundreds of megabytes. No real image packs more than {@link #MAX_PIXELS_PER_BYTE}
     * pixels into a byte (a flat one-bit PNG comes closest, about 8,000).
     */
    private static BufferedImage read(ImageInputStream in, Path file, long size) throws IOException {
        if (in == null) {
            return null;
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            return null;
        }
        ImageReader reader = readers.next();
        try {
            reader.setInput(in, true, true);
            long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
            if (pixels > MAX_PIXELS || pixels > size * MAX_PIXELS_PER_BYTE) {
                throw new DataFormatException("The image " + file + " declares " + reader.getWidth(0) + "x"
                        + reader.getHeight(0) + " pixels in " + size + " bytes, more than "
                        + (pixels > MAX_PIXELS ? "Keiryo reads (" + MAX_PIXELS + " pixels)" : "any real image packs")
                        + "; its header is corrupt or the image too large: replace, shrink or remove it.");
            }
            if ("bmp".equalsIgnoreCase(reader.getFormatName())) {
                checkEmbedded(file, size);
            }
            return reader.read(0, reader.getDefaultReadParam());
        } finally {
            reader.dispose();
        }
    }

    /**
     * A BMP may hold a JPEG or PNG (compression 4 or 5), whose length its header declares; Java's
     * reader allocates that length before reading, so it must not exceed the file.
     */
    private static void checkEmbedded(Path file, long size) throws IOException {
        byte[] h = new byte[0x26];
        try (java.io.InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(h, 0, h.length) < h.length) {
                return; // too short to hold either; the reader reports it
            }
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(h).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long compression = Integer.toUnsignedLong(b.getInt(0x1e));
        long declared = Integer.toUnsignedLong(b.getInt(0x22));
        if (b.getInt(0x0e) >= 40 && (compression == 4 || compression == 5) && declared > size) {
            throw new DataFormatException(
                    "The image " + file + " is a BMP declaring " + declared + " bytes of embedded "
                            + (compression == 4 ? "JPEG" : "PNG") + " data in a file of " + size
                            + " bytes; its header is corrupt: replace or remove it.");
        }
    }

    /**
     * {@code img} as {@code size x size} packed RGB, row by row. Transparent parts go on white, as
     * image viewers show them. Shrinking halves the image step by step with bilinear filtering, so
     * every source pixel contributes (one bilinear step from far larger would skip most of them).
     */
    static int[] resizedRgb(BufferedImage img, int size) {
        BufferedImage current = toRgb(img);
        int w = current.getWidth();
        int h = current.getHeight();
        while (w != size || h != size) {
            int nw = w / 2 >= size ? w / 2 : size;
            int nh = h / 2 >= size ? h / 2 : size;
            BufferedImage next = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                g.drawImage(current, 0, 0, nw, nh, null);
            } finally {
                g.dispose();
            }
            current = next;
            w = nw;
            h = nh;
        }
        int[] out = new int[size * size];
        current.getRGB(0, 0, size, size, out, 0, size);
        for (int i = 0; i < out.length; i++) {
            out[i] &= 0xffffff;
        }
        return out;
    }

    /** True when every pixel has equal red, green and blue. */
    static boolean grey(int[] rgb) {
        for (int p : rgb) {
            int r = (p >> 16) & 0xff;
            int g = (p >> 8) & 0xff;
            int b = p & 0xff;
            if (r != g || g != b) {
                return false;
            }
        }
        return true;
    }

    // Any colour model (grey, 16-bit, palette, CMYK) drawn once into plain 8-bit RGB.
    private static BufferedImage toRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.drawImage(img, 0, 0, Color.WHITE, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }
}
