package dev.keiryo.engine.train;

import dev.keiryo.engine.api.KeiryoException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/** The optimizers Keiryo exposes, each mapped to its DL4J updater. */
public enum Updaters {
    ADAM,
    SGD,
    NESTEROVS,
    RMSPROP;

    public IUpdater updater(double learningRate, boolean halfPrecision) {
        return switch (this) {
            // Adam's default epsilon 1e-8 underflows in 16-bit floats and training diverges.
            case ADAM -> new Adam(learningRate, 0.9, 0.999, halfPrecision ? 1e-4 : 1e-8);
            case SGD -> new Sgd(learningRate);
            case NESTEROVS -> new Nesterovs(learningRate, 0.9);
            case RMSPROP -> new RmsProp(learningRate, 0.95, halfPrecision ? 1e-4 : 1e-8);
        };
    }

    public static Updaters parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new KeiryoException("unknown optimizer '" + name + "'; choose one of "
                    + Arrays.stream(values())
                            .map(o -> o.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", "))
                    + ".");
        }
    }
}
