package dev.keiryo.engine.api.experiment;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rules for the steps list; each problem names its field as {@code steps[i].kind.field}. */
final class StepChecks {
    static final Set<String> CRITERIA = Set.of("l1", "l2", "mean-activation", "apoz");
    static final Set<String> SCOPES = Set.of("global", "layer");
    static final Set<String> SCHEDULES = Set.of("oneshot", "agp");

    private StepChecks() {}

    static void check(Experiment e, List<String> p) {
        if (e.train().epochs() == 0
                && (e.model().load() == null || e.model().load().isBlank())) {
            p.add("train.epochs must be >= 1 unless model.load names a model to start from (was 0)");
        }
        for (int i = 0; i < e.steps().size(); i++) {
            StepSpec s = e.steps().get(i);
            String at = "steps[" + i + "]";
            if (s == null || s.kinds() != 1) {
                p.add(
                        at
                                + " must have exactly one of prune, pruneTable, sensitivity, quantize, quantSweep, parallelCompare, distill");
            } else if (s.prune() != null) {
                prune(s.prune(), at + ".prune", p);
            } else if (s.quantize() != null) {
                quantize(s.quantize(), at + ".quantize", p);
            } else if (s.quantSweep() != null) {
                quantSweep(s.quantSweep(), at + ".quantSweep", p);
            } else if (s.parallelCompare() != null) {
                compare(s.parallelCompare(), at + ".parallelCompare", p);
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
            int targets = (s.sparsity() == null ? 0 : 1)
                    + (s.threshold() == null ? 0 : 1)
                    + (s.layers().isEmpty() ? 0 : 1);
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
        oneOf(s.mode(), Set.of("affine", "binary", "ternary", "codebook", "half"), at + ".mode", p);
        int max = "codebook".equals(s.mode()) ? 8 : 16;
        if (("affine".equals(s.mode()) || "codebook".equals(s.mode())) && (s.bits() < 1 || s.bits() > max)) {
            p.add(at + ".bits must be 1.." + max + " for " + s.mode() + " (was " + s.bits() + ")");
        }
        if (s.qatEpochs() < 0) {
            p.add(at + ".qatEpochs must be >= 0 (was " + s.qatEpochs() + ")");
        }
        if (s.qatLearningRate() != null && !(s.qatLearningRate() > 0)) {
            p.add(at + ".qatLearningRate must be > 0 (was " + s.qatLearningRate() + ")");
        }
        if (s.qatEpochs() > 0 && ("codebook".equals(s.mode()) || "half".equals(s.mode()))) {
            p.add(at + ".qatEpochs: quantization-aware training supports affine, binary and ternary, not " + s.mode());
        }
    }

    private static void quantSweep(QuantSweepSpec s, String at, List<String> p) {
        if (s.bits().isEmpty()) {
            p.add(at + ".bits must list at least one bit width");
        }
        for (int i = 0; i < s.bits().size(); i++) {
            Integer b = s.bits().get(i);
            if (b == null || b < 1 || b > 16) {
                p.add(at + ".bits[" + i + "] must be 1..16 (was " + b + ")");
            }
        }
        if (s.granularity().isEmpty()) {
            p.add(at + ".granularity must list perChannel and/or perTensor");
        }
        for (int i = 0; i < s.granularity().size(); i++) {
            oneOf(s.granularity().get(i), Set.of("perChannel", "perTensor"), at + ".granularity[" + i + "]", p);
        }
        if (s.qatEpochs() < 0) {
            p.add(at + ".qatEpochs must be >= 0 (was " + s.qatEpochs() + ")");
        }
        if (s.qatLearningRate() != null && !(s.qatLearningRate() > 0)) {
            p.add(at + ".qatLearningRate must be > 0 (was " + s.qatLearningRate() + ")");
        }
        if (s.formatExamples() < 1) {
            p.add(at + ".formatExamples must be >= 1 (was " + s.formatExamples() + ")");
        }
    }

    private static void compare(ParallelCompareSpec s, String at, List<String> p) {
        if (s.modes().isEmpty()) {
            p.add(at + ".modes must list at least one of single, sync, async");
        }
        for (int i = 0; i < s.modes().size(); i++) {
            oneOf(s.modes().get(i), Set.of("single", "sync", "async"), at + ".modes[" + i + "]", p);
        }
        if (s.epochs() != null && s.epochs() < 1) {
            p.add(at + ".epochs must be at least 1 (was " + s.epochs() + ")");
        }
        if (s.workers() < 2) {
            p.add(at + ".workers must be at least 2 (was " + s.workers() + ")");
        }
        if (s.averagingFrequency() < 1) {
            p.add(at + ".averagingFrequency must be at least 1 (was " + s.averagingFrequency() + ")");
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
            p.add(field + " must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)) + " (was \"" + v
                    + "\")");
        }
    }
}
