package dev.keiryo.engine.model;

import dev.keiryo.engine.data.Normalizer;
import java.util.List;

/**
 * What a saved network needs beside its weights to be used again: the input it expects, how raw
 * inputs were normalised during training, and the class names. Stored inside the model file.
 */
public record ModelMeta(
        int formatVersion,
        String preset,
        InputShape input,
        boolean imageShaped,
        int numClasses,
        List<String> classNames,
        Normalizer normalization) {

    public static final int FORMAT_VERSION = 1;

    public ModelMeta {
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
    }
}
