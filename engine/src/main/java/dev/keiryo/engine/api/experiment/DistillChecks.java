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
        if (!(s.temperature() > 0) || !Double.isFinite(s.temperature())) {
            p.add(at + ".temperature must be > 0 (was " + s.temperature() + "); Hinton et al. used 2 to 20");
        }
        if (!(s.alpha() >= 0 && s.alpha() <= 1)) {
            p.add(at + ".alpha must be in [0, 1], the weight of the teacher's soft targets (was " + s.alpha() + ")");
        }
        if (s.epochs() < 1) {
            p.add(at + ".epochs must be >= 1 (was " + s.epochs() + ")");
        }
        if (s.seeds() != null && (s.seeds() < 1 || s.seeds() > 100)) {
            p.add(at + ".seeds must be 1..100 (was " + s.seeds() + ")");
        }
        if (s.width() != null && (!(s.width() > 0) || s.width() > 16)) {
            p.add(at + ".width must be in (0, 16] (was " + s.width() + ")");
        }
        if (s.dropout() != null && !(s.dropout() >= 0 && s.dropout() < 1)) {
            p.add(at + ".dropout must be >= 0 and < 1 (was " + s.dropout() + ")");
        }
        if (s.hidden() != null) {
            for (int i = 0; i < s.hidden().size(); i++) {
                Integer h = s.hidden().get(i);
                if (h == null || h < 1) {
                    p.add(at + ".hidden[" + i + "] must be >= 1 (was " + h + ")");
                }
            }
        }
        if (s.learningRate() != null && (!(s.learningRate() > 0) || !Double.isFinite(s.learningRate()))) {
            p.add(at + ".learningRate must be > 0 (was " + s.learningRate() + ")");
        }
        if ((s.hintLayer() == null) != (s.guidedLayer() == null)) {
            p.add(at + (s.hintLayer() == null ? ".hintLayer" : ".guidedLayer")
                    + " must be set too: hint training pairs a" + " teacher hint layer with a student guided layer");
        }
        if (s.hintLayer() != null && s.hintEpochs() < 1) {
            p.add(at + ".hintEpochs must be >= 1 (was " + s.hintEpochs() + ")");
        }
    }
}
