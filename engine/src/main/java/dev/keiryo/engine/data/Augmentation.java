package dev.keiryo.engine.data;

import dev.keiryo.engine.api.experiment.DataSpec;
import java.util.Random;

/**
 * Random changes to training images, the standard ones for small colour images: a random crop of
 * the image padded with black by an eighth of its side (4 pixels at 32x32), and a horizontal
 * mirror of half the images. Applied by {@link ArrayDataSetIterator} to raw values, before
 * normalisation, so padding is black whatever the normalisation; never to evaluation data.
 *
 * @param crop shift each image by up to {@link #padding(int)} pixels, filling with 0
 * @param flip mirror each image left to right with probability one half
 */
public record Augmentation(boolean crop, boolean flip) {

    /** The augmentation {@code choice} names; null for none. */
    public static Augmentation of(DataSpec.Augment choice) {
        return switch (choice) {
            case NONE, AUTO -> null;
            case CROP_FLIP -> new Augmentation(true, true);
            case CROP -> new Augmentation(true, false);
            case FLIP -> new Augmentation(false, true);
        };
    }

    /** The crop's padding for images of side {@code side}: an eighth, at least one pixel. */
    public static int padding(int side) {
        return Math.max(1, side / 8);
    }

    /**
     * Changes {@code count} images of {@code channels x height x width}, laid end to end in
     * {@code x}, in place, drawing from {@code random} in a fixed order so a seeded generator
     * gives the same images every time.
     */
    public void apply(float[] x, int count, int channels, int height, int width, Random random) {
        int plane = height * width;
        int d = channels * plane;
        float[] scratch = new float[d];
        int pad = padding(Math.min(height, width));
        for (int k = 0; k < count; k++) {
            int off = k * d;
            int dy = crop ? random.nextInt(2 * pad + 1) - pad : 0;
            int dx = crop ? random.nextInt(2 * pad + 1) - pad : 0;
            boolean mirror = flip && random.nextBoolean();
            if (dx == 0 && dy == 0 && !mirror) {
                continue;
            }
            System.arraycopy(x, off, scratch, 0, d);
            for (int c = 0; c < channels; c++) {
                int base = c * plane;
                for (int y = 0; y < height; y++) {
                    int sy = y + dy;
                    for (int xx = 0; xx < width; xx++) {
                        int sx = (mirror ? width - 1 - xx : xx) + dx;
                        x[off + base + y * width + xx] =
                                sy < 0 || sy >= height || sx < 0 || sx >= width ? 0f : scratch[base + sy * width + sx];
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return crop && flip ? "crop-flip" : crop ? "crop" : flip ? "flip" : "none";
    }
}
