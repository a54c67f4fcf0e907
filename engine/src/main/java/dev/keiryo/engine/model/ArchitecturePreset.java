package dev.keiryo.engine.model;

import dev.keiryo.engine.api.KeiryoException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The networks Keiryo can build by name. */
public enum ArchitecturePreset {
    /** LeNet-300-100: 784-300-100-10, ReLU (Deep Compression's MLP). */
    LENET300("lenet300", false),
    /** LeNet-5 as in DL4J's example and the PyTorch peer benchmark. */
    LENET5("lenet5", true),
    /** A stronger CNN (two conv blocks with batch norm) meant to be distilled from. */
    TEACHER("teacher", true),
    /** A configurable multilayer perceptron for tabular data. */
    MLP("mlp", false),
    /** He et al.'s ResNet-20 for 32x32 colour images: residual blocks with batch norm. */
    RESNET20("resnet20", true),
    /** A small VGG-style network: 3x3 convolutions with batch norm, max pooling. */
    VGG_SMALL("vgg-small", true);

    private final String id;
    private final boolean convolutional;

    ArchitecturePreset(String id, boolean convolutional) {
        this.id = id;
        this.convolutional = convolutional;
    }

    public String id() {
        return id;
    }

    public boolean convolutional() {
        return convolutional;
    }

    public static ArchitecturePreset parse(String name) {
        String n = name == null
                ? ""
                : name.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        if (n.equals("lenet300100")) {
            return LENET300;
        }
        for (ArchitecturePreset p : values()) {
            if (p.id.replace("-", "").equals(n)) {
                return p;
            }
        }
        throw new KeiryoException("unknown model preset '" + name + "'; choose one of " + names() + ".");
    }

    public static String names() {
        return Arrays.stream(values()).map(ArchitecturePreset::id).collect(Collectors.joining(", "));
    }
}
