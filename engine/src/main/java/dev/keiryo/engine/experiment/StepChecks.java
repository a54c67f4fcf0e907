package dev.keiryo.engine.experiment;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rules for the steps list; each problem names its field as {@code steps[i].kind.field}. */
final class StepChecks {
    static final Set<String> CRITERIA = Set.of("l1", "l2", "mean-activation", "apoz");
    static final Set<String> SCOPES = Set.of("global", "layer");
    static final Set<String> SCHEDULES = Set.of("oneshot", "agp");

    private StepChecks() {
    }

    static void check(Experiment e, List<String> p) {
        if (e.train().epochs() == 0 && (e.model().load() == null || e.model().load().isBlank())) {
            p.add("train.epochs must be >= 1 unless model.load names a model to start from (was 0)");
        }
        for (int i = 0; i < e.steps().size(); i++) {
            StepSpec s = e.steps().get(i);
            String at = "steps[" + i + "]";
            if (s == null || s.kinds() != 1) {
                p.add(at + " must have exactly one of prune, pruneTable, sensitivity, quantize, distill");
            } else if (s.prune() != null) {
                prune(s.prune(), at + ".prune", p);
            } else if (s.quantize() != null) {
                quantize(s.quantize(), at + ".quantize", p);
            } else if (s.distill() != null) {
                DistillChecks.check(s.distill(), at + ".distill", p);
            } else if (s.pruneTable() != null) {
                table(s.pruneTable(), at + ".pruneTable", p);
            } else {
                sensitivity(s.sensitivity(), at + ".sensitivity", p);
            }
        }
    }

    private static void prune(PruneStepSpec s, String at, List<String> p) {
        if (s.mode() == null) {
            p.add(at + ".mode must be connection or unit");
            return;
        }
        if (s.mode() == PruneMode.CONNECTION) {
            int targets = (s.sparsity() == null ? 0 : 1) + (s.threshold() == null ? 0 : 1) + (s.layers().isEmpty() ? 0 : 1);
            if (targets == 0) {
                p.add(at + " needs sparsity, threshold or layers for connection pruning");
            }
            share(s.sparsity(), at + ".sparsity", p);
            if (s.threshold() != null && !(s.threshold() >= 0)) {
                p.add(at + ".threshold must be >= 0 (was " + s.threshold() + ")");
            }
            oneOf(s.scope(), SCOPES, at + ".scope", p);
            oneOf(s.schedule(), SCHEDULES, at + ".schedule", p);
            if (s.scheduleSteps() < 1) {
                p.add(at + ".scheduleSteps must be >= 1 (was " + s.scheduleSteps() + ")");
            }
        } else {
            if (s.fraction() == null && s.layers().isEmpty()) {
                p.add(at + " needs fraction or layers for unit pruning");
            }
            share(s.fraction(), at + ".fraction", p);
            oneOf(s.criterion(), CRITERIA, at + ".criterion", p);
            if ("agp".equals(s.schedule())) {
                p.add(at + ".schedule agp applies to connection pruning only; use oneshot for units");
            }
        }
        for (Map.Entry<String, Double> l : s.layers().entrySet()) {
            share(l.getValue(), at + ".layers." + l.getKey(), p);
        }
        fineTune(s.fineTuneEpochs(), s.fineTuneLearningRate(), at, p);
    }

    private static void quantize(QuantizeStepSpec s, String at, List<String> p) {
        oneOf(s.mode(), Set.of("affine", "binary", "ternary", "codebook"), at + ".mode", p);
        int max = "codebook".equals(s.mode()) ? 8 : 16;
        if (("affine".equals(s.mode()) || "codebook".equals(s.mode())) && (s.bits() < 1 || s.bits() > max)) {
            p.add(at + ".bits must be 1.." + max + " for " + s.mode() + " (was " + s.bits() + ")");
        }
    }

    private static void table(PruneTableSpec s, String at, List<String> p) {
        if (s.mode() == null) {
            p.add(at + ".mode must be connection or unit");
        }
        if (s.levels().isEmpty()) {
            p.add(at + ".levels must list at least one share to remove");
        }
        for (int i = 0; i < s.levels().size(); i++) {
            share(s.levels().get(i), at + ".levels[" + i + "]", p);
        }
        oneOf(s.criterion(), CRITERIA, at + ".criterion", p);
        oneOf(s.scope(), SCOPES, at + ".scope", p);
        fineTune(s.fineTuneEpochs(), s.fineTuneLearningRate(), at, p);
    }

    private static void sensitivity(SensitivitySpec s, String at, List<String> p) {
        if (s.mode() == null) {
            p.add(at + ".mode must be connection or unit");
        }
        for (int i = 0; i < s.levels().size(); i++) {
            share(s.levels().get(i), at + ".levels[" + i + "]", p);
        }
        oneOf(s.criterion(), CRITERIA, at + ".criterion", p);
    }

    private static void fineTune(int epochs, Double lr, String at, List<String> p) {
        if (epochs < 0) {
            p.add(at + ".fineTuneEpochs must be >= 0 (was " + epochs + ")");
        }
        if (lr != null && !(lr > 0)) {
            p.add(at + ".fineTuneLearningRate must be > 0 (was " + lr + ")");
        }
    }

    private static void share(Double v, String field, List<String> p) {
        if (v != null && !(v >= 0 && v < 1)) {
            p.add(field + " must be >= 0 and < 1 (was " + v + ")");
        }
    }

    private static void oneOf(String v, Set<String> allowed, String field, List<String> p) {
        if (v != null && !allowed.contains(v)) {
            p.add(field + " must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)) + " (was \"" + v + "\")");
        }
    }
}
