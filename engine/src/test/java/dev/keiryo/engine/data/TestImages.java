package dev.keiryo.engine.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Writes small image files (and broken ones) for the image-folder tests. */
final class TestImages {
    private TestImages() {}

    /** A {@code w x h} image filled with {@code rgb} (0xRRGGBB), written as {@code format}. */
    static Path solid(Path file, int w, int h, int rgb, String format) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return write(file, img, format);
    }

    /** A grey image (one band) of value {@code v}. */
    static Path grey(Path file, int w, int h, int v) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, v);
            }
        }
        return write(file, img, "png");
    }

    /** A 16-bit grey PNG of value {@code v16} (0..65535). */
    static Path grey16(Path file, int w, int h, int v16) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, v16);
            }
        }
        return write(file, img, "png");
    }

    /** A four-band (CMYK) JPEG, as print workflows produce, with full cyan. */
    static Path cmykJpeg(Path file, int w, int h) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setSample(x, y, 0, 255);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            Files.createDirectories(file.getParent());
            try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(raster, null, null), null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return file;
    }

    static Path write(Path file, BufferedImage img, String format) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(img, format, file.toFile())) {
                throw new IllegalStateException("no " + format + " writer");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
