package dev.keiryo.engine.api.experiment;

import java.util.List;

/** The field rules of a distill step; layer names and shapes are checked against the models in job.Steps. */
final class DistillChecks {
    private DistillChecks() {}

    static void check(DistillStepSpec s, String at, List<String> p) {
        if (s.from() != null && s.teacher() != null) {
            p.add(at + " sets both from and teacher; the teacher is either a variant of this run or a model file");
        }
        if (s.teacher() != null && s.teacher().isBlank()) {
            p.add(at + ".teacher must be the path of a model file");
        }
        DistillationSettings.TEMPERATURE.check(s.temperature(), at + ".temperature", p);
        DistillationSettings.ALPHA.check(s.alpha(), at + ".alpha", p);
        DistillationSettings.EPOCHS.check(s.epochs(), at + ".epochs", p);
        DistillationSettings.SEEDS.check(s.seeds(), at + ".seeds", p);
        DistillationSettings.WIDTH.check(s.width(), at + ".width", p);
        DistillationSettings.DROPOUT.check(s.dropout(), at + ".dropout", p);
        if (s.hidden() != null) {
            for (int i = 0; i < s.hidden().size(); i++) {
                ModelSettings.HIDDEN.check(s.hidden().get(i), at + ".hidden[" + i + "]", p);
            }
        }
        DistillationSettings.LEARNING_RATE.check(s.learningRate(), at + ".learningRate", p);
        if ((s.hintLayer() == null) != (s.guidedLayer() == null)) {
            p.add(at + (s.hintLayer() == null ? ".hintLayer" : ".guidedLayer")
                    + " must be set too: hint training pairs a teacher hint layer with a student guided layer");
        }
        if (s.hintLayer() != null) {
            DistillationSettings.HINT_EPOCHS.check(s.hintEpochs(), at + ".hintEpochs", p);
        }
    }
}
