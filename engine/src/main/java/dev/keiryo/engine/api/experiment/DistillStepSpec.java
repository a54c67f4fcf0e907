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

    /** A step with every field an experiment file may leave out at its default: set only what differs. */
    public static Builder builder() {
        return new Builder();
    }

    /** This step's fields in a builder, to change a few of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.from = from;
        b.teacher = teacher;
        b.student = student;
        b.width = width;
        b.hidden = hidden;
        b.dropout = dropout;
        b.temperature = temperature;
        b.alpha = alpha;
        b.epochs = epochs;
        b.learningRate = learningRate;
        b.seeds = seeds;
        b.compare = compare;
        b.hintLayer = hintLayer;
        b.guidedLayer = guidedLayer;
        b.hintEpochs = hintEpochs;
        return b;
    }

    /** Names each of the step's fields where it is set, rather than by its place among fifteen. */
    public static final class Builder {
        private String from;
        private String teacher;
        private ModelSpec.Preset student;
        private Double width;
        private List<Integer> hidden;
        private Double dropout;
        private double temperature = DistillationSettings.TEMPERATURE.defaultValue();
        private double alpha = DistillationSettings.ALPHA.defaultValue();
        private int epochs = DistillationSettings.EPOCHS.defaultValue();
        private Double learningRate;
        private Integer seeds;
        private boolean compare = DistillationSettings.COMPARE.defaultValue();
        private String hintLayer;
        private String guidedLayer;
        private int hintEpochs = DistillationSettings.HINT_EPOCHS.defaultValue();

        private Builder() {}

        public Builder from(String from) {
            this.from = from;
            return this;
        }

        public Builder teacher(String teacher) {
            this.teacher = teacher;
            return this;
        }

        public Builder student(ModelSpec.Preset student) {
            this.student = student;
            return this;
        }

        public Builder width(Double width) {
            this.width = width;
            return this;
        }

        public Builder hidden(List<Integer> hidden) {
            this.hidden = hidden;
            return this;
        }

        public Builder dropout(Double dropout) {
            this.dropout = dropout;
            return this;
        }

        public Builder temperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder learningRate(Double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder seeds(Integer seeds) {
            this.seeds = seeds;
            return this;
        }

        public Builder compare(boolean compare) {
            this.compare = compare;
            return this;
        }

        public Builder hintLayer(String hintLayer) {
            this.hintLayer = hintLayer;
            return this;
        }

        public Builder guidedLayer(String guidedLayer) {
            this.guidedLayer = guidedLayer;
            return this;
        }

        public Builder hintEpochs(int hintEpochs) {
            this.hintEpochs = hintEpochs;
            return this;
        }

        public DistillStepSpec build() {
            return new DistillStepSpec(
                    from,
                    teacher,
                    student,
                    width,
                    hidden,
                    dropout,
                    temperature,
                    alpha,
                    epochs,
                    learningRate,
                    seeds,
                    compare,
                    hintLayer,
                    guidedLayer,
                    hintEpochs);
        }
    }
}
