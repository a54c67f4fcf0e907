package dev.keiryo.engine.data;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The small colour image-folder set in assets/data/shapes-sample: 32x32 pictures of four shapes,
 * each in a random colour on a random darker background at a random place and size, so the
 * class is in the shape, not the colour. Pixels are computed, not drawn with Java2D, so they do
 * not depend on the JDK's renderer; {@link ShapesSampleTest} checks the committed files against
 * them and {@link ShapesSampleMaker} rewrites them.
 */
final class ShapesSample {
    static final Path DIR = Path.of("..", "assets", "data", "shapes-sample");
    static final List<String> CLASSES = List.of("circle", "cross", "square", "triangle");
    static final int SIDE = 32;
    static final int TRAIN_PER_CLASS = 16;
    static final int TEST_PER_CLASS = 5;
    static final long SEED = 20261206L;

    private ShapesSample() {}

    /** The relative path of image {@code i} of class {@code c} on one side, e.g. train/circle/03.png. */
    static String file(String side, String c, int i) {
        return side + "/" + c + "/" + String.format(java.util.Locale.ROOT, "%02d", i) + ".png";
    }

    /**
     * Every image in file order (train then test, classes in order, then index), drawn from one
     * generator seeded with {@link #SEED}.
     */
    static void forEach(ImageSink sink) {
        Random random = new Random(SEED);
        for (String side : List.of("train", "test")) {
            int n = side.equals("train") ? TRAIN_PER_CLASS : TEST_PER_CLASS;
            for (int k = 0; k < CLASSES.size(); k++) {
                for (int i = 0; i < n; i++) {
                    sink.accept(file(side, CLASSES.get(k), i), draw(k, random));
                }
            }
        }
    }

    interface ImageSink {
        void accept(String relativePath, BufferedImage image);
    }

    static BufferedImage draw(int shape, Random random) {
        int fg = colour(random, 160, 255);
        int bg = colour(random, 0, 90);
        double cx = 11 + random.nextDouble() * 10;
        double cy = 11 + random.nextDouble() * 10;
        double s = 6 + random.nextDouble() * 4;
        BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                img.setRGB(x, y, inside(shape, dx, dy, s) ? fg : bg);
            }
        }
        return img;
    }

    private static boolean inside(int shape, double dx, double dy, double s) {
        return switch (shape) {
            case 0 -> dx * dx + dy * dy <= s * s;
            case 1 -> (Math.abs(dx) <= s && Math.abs(dy) <= s / 3) || (Math.abs(dy) <= s && Math.abs(dx) <= s / 3);
            case 2 -> Math.abs(dx) <= 0.8 * s && Math.abs(dy) <= 0.8 * s;
            case 3 -> dy >= -s && dy <= s && Math.abs(dx) <= (dy + s) / 2;
            default -> throw new IllegalArgumentException("shape " + shape);
        };
    }

    private static int colour(Random random, int lo, int hi) {
        int r = lo + random.nextInt(hi - lo + 1);
        int g = lo + random.nextInt(hi - lo + 1);
        int b = lo + random.nextInt(hi - lo + 1);
        return (r << 16) | (g << 8) | b;
    }
}
