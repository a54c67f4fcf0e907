package dev.keiryo.engine.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;
import java.util.List;

/**
 * A saved model file as {@code keiryo inspect} shows it.
 *
 * @param fileBytes the file's size on disk
 * @param packed the file is a Keiryo packed file ({@code .kpack}), whose size is the model's size; a
 *     training zip is DEFLATE-compressed, so its size is not
 * @param meta what the model was trained on; null for a DL4J model saved without Keiryo
 * @param vertices the model's graph: every vertex with what it reads, in topological order
 */
public record ModelDescription(
        Path file, long fileBytes, boolean packed, Meta meta, ModelStats stats, List<Vertex> vertices) {

    public ModelDescription {
        vertices = List.copyOf(vertices);
    }

    /** The graph is one path of layers, each reading the one before it. */
    public boolean chain() {
        for (int i = 1; i < vertices.size(); i++) {
            if (!vertices.get(i).inputs().equals(List.of(vertices.get(i - 1).name()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * What a saved model needs beside its weights: the input it expects, how inputs are
     * normalised and its classes.
     *
     * @param preset the preset it was built from
     * @param imageShaped it takes images (channels x height x width) rather than a flat row
     */
    public record Meta(
            int formatVersion,
            String preset,
            Input input,
            boolean imageShaped,
            int numClasses,
            List<String> classNames,
            Normalization normalization) {
        public Meta {
            classNames = List.copyOf(classNames);
        }
    }

    /** The input shape; tabular data is 1 x 1 x features. */
    public record Input(int channels, int height, int width) {}

    /**
     * How raw inputs are mapped before the model sees them.
     *
     * @param kind "none", "scale" or "standardize", as in {@code data.normalization}
     * @param divisor what "scale" divides by
     * @param mean per-feature means for "standardize"; null otherwise
     * @param std per-feature standard deviations for "standardize"; null otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Normalization(String kind, float divisor, float[] mean, float[] std) {}
}
