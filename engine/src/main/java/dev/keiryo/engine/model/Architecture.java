package dev.keiryo.engine.model;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.ModelSettings;
import dev.keiryo.engine.api.experiment.ModelSpec;
import java.util.List;

/**
 * Which network to build. {@code width} multiplies every hidden layer's units or filters, so a
 * student can be a thinner copy of a preset; {@code hidden} applies to the tabular MLP only.
 */
public record Architecture(ArchitecturePreset preset, double width, List<Integer> hidden, double dropout) {
    public Architecture {
        if (preset == null) {
            throw new KeiryoException("model.preset is missing; choose one of " + ArchitecturePreset.names() + ".");
        }
        ModelSettings.WIDTH.require(width);
        ModelSettings.DROPOUT.require(dropout);
        hidden = hidden == null || hidden.isEmpty() ? List.of(256, 128) : List.copyOf(hidden);
        for (int i = 0; i < hidden.size(); i++) {
            ModelSettings.HIDDEN.require(hidden.get(i), "model.hidden[" + i + "]");
        }
    }

    public static Architecture of(ArchitecturePreset preset) {
        return new Architecture(preset, 1.0, null, 0.0);
    }

    int scaled(int units) {
        return Math.max(1, (int) Math.round(units * width));
    }

    /** The network the experiment file's {@code model:} section describes. */
    public static Architecture of(ModelSpec model) {
        return new Architecture(
                ArchitecturePreset.parse(model.preset().id()), model.width(), model.hidden(), model.dropout());
    }
}
