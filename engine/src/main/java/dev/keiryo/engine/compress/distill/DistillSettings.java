package dev.keiryo.engine.compress.distill;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.DistillationSettings;

/**
 * The distillation knobs.
 *
 * @param temperature T > 0 that softens both softmaxes of the soft term
 * @param alpha weight of the soft (teacher) term in [0, 1]; 1 - alpha weighs the true labels
 * @param epochs epochs of every student (scratch, KD and stage 2 of hints+KD alike)
 * @param hintLayer teacher layer for FitNets hints, or null for no hint stage
 * @param guidedLayer student layer the hint guides (with hintLayer)
 * @param hintEpochs epochs of the hint stage (stage 1), on top of {@code epochs}
 */
public record DistillSettings(
        double temperature, double alpha, int epochs, String hintLayer, String guidedLayer, int hintEpochs) {

    public DistillSettings {
        DistillationSettings.TEMPERATURE.require(temperature);
        DistillationSettings.ALPHA.require(alpha);
        DistillationSettings.EPOCHS.require(epochs);
        if ((hintLayer == null) != (guidedLayer == null)) {
            throw new KeiryoException("hint training needs both a teacher hint layer and a student guided layer (got "
                    + (hintLayer == null ? "only the guided layer" : "only the hint layer") + ").");
        }
        if (hintLayer != null) {
            DistillationSettings.HINT_EPOCHS.require(hintEpochs);
        }
    }

    public boolean hints() {
        return hintLayer != null;
    }
}
