package dev.keiryo.engine.api.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A distillation step: students learn from a frozen teacher, the previous variant (or {@code from},
 * or the model file {@code teacher}).
 *
 * @param student the student's preset; null: a copy of the teacher's preset, thinned by {@code width}
 * @param width width multiplier of the student (default 0.5 for a teacher copy, else 1)
 * @param temperature T > 0 of the soft targets
 * @param alpha weight of the soft (teacher) term in [0, 1]
 * @param epochs epochs of every student
 * @param learningRate students' learning rate (default: train.learningRate)
 * @param seeds how many seeds per student (default 3 with compare, else 1); seeds are seed, seed+1, ...
 * @param compare train the same student from scratch, with KD and (with hint layers) with hints+KD
 * @param hintLayer teacher layer whose output guides the student (FitNets), with guidedLayer
 * @param guidedLayer student layer guided by the hint through a regressor
 * @param hintEpochs epochs of the hint stage, before the KD epochs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DistillStepSpec(
        String from,
        String teacher,
        ModelSpec.Preset student,
        Double width,
        List<Integer> hidden,
        Double dropout,
        double temperature,
        double alpha,
        int epochs,
        Double learningRate,
        Integer seeds,
        boolean compare,
        String hintLayer,
        String guidedLayer,
        int hintEpochs) {

    /**
     * T = 2 and alpha = 0.5 won a validation sweep of 12 settings on Fashion-MNIST (docs/benchmarks.md,
     * Distillation); the common T = 4, alpha = 0.9 came last there, below the student from scratch.
     */
    public static final double DEFAULT_TEMPERATURE = 2;

    public static final double DEFAULT_ALPHA = 0.5;

    public DistillStepSpec {
        hidden = hidden == null ? null : Collections.unmodifiableList(new ArrayList<>(hidden));
    }

    @JsonCreator
    static DistillStepSpec of(
            @JsonProperty("from") String from,
            @JsonProperty("teacher") String teacher,
            @JsonProperty("student") ModelSpec.Preset student,
            @JsonProperty("width") Double width,
            @JsonProperty("hidden") List<Integer> hidden,
            @JsonProperty("dropout") Double dropout,
            @JsonProperty("temperature") Double temperature,
            @JsonProperty("alpha") Double alpha,
            @JsonProperty("epochs") Integer epochs,
            @JsonProperty("learningRate") Double learningRate,
            @JsonProperty("seeds") Integer seeds,
            @JsonProperty("compare") Boolean compare,
            @JsonProperty("hintLayer") String hintLayer,
            @JsonProperty("guidedLayer") String guidedLayer,
            @JsonProperty("hintEpochs") Integer hintEpochs) {
        return new DistillStepSpec(
                from,
                teacher,
                student,
                width,
                hidden,
                dropout,
                temperature == null ? DistillationSettings.TEMPERATURE.defaultValue() : temperature,
                alpha == null ? DistillationSettings.ALPHA.defaultValue() : alpha,
                epochs == null ? DistillationSettings.EPOCHS.defaultValue() : epochs,
                learningRate,
                seeds,
                compare == null ? DistillationSettings.COMPARE.defaultValue() : compare,
                hintLayer,
                guidedLayer,
                hintEpochs == null ? DistillationSettings.HINT_EPOCHS.defaultValue() : hintEpochs);
    }

    /** The number of seeds per student after defaults. */
    public int seedCount() {
        return seeds != null ? seeds : compare ? 3 : 1;
    }
}
