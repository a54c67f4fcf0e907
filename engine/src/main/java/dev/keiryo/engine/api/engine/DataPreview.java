package dev.keiryo.engine.api.engine;

import java.util.List;
import java.util.Map;

/**
 * A look at a data set before training on it.
 *
 * @param description where the data came from and its shape, in words
 * @param images the first training images (empty for tabular data)
 * @param classCounts training examples per class, in class order
 * @param channels the examples' shape as a model sees it: channels x height x width (1 x 1 x features
 *     for tabular data)
 */
public record DataPreview(
        String description, List<Image> images, Map<String, Integer> classCounts, int channels, int height, int width) {

    public DataPreview {
        images = List.copyOf(images);
        classCounts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(classCounts));
    }

    /**
     * One training image as stored: each channel (1 grey, or 3 for red, green, blue) row by row,
     * one channel after the other.
     *
     * @param label its class name
     */
    public record Image(int width, int height, int channels, float[] pixels, String label) {
        public Image {
            if (pixels.length != (long) width * height * channels) {
                throw new IllegalArgumentException(
                        pixels.length + " pixel values for " + channels + " x " + height + " x " + width);
            }
        }
    }
}
