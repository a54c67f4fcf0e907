package dev.keiryo.engine.api.experiment;

import dev.keiryo.engine.api.settings.Setting;
import java.util.List;
import java.util.Map;

/** The rules for the steps list; each problem names its field as {@code steps[i].kind.field}. */
final class StepChecks {
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
                p.add(at + " must have exactly one of prune, pruneTable, sensitivity, quantize, quantSweep,"
                        + " parallelCompare, distill, fineTune");
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
            } else if (s.fineTune() != null) {
                FineTuneSettings.EPOCHS.check(s.fineTune().epochs(), at + ".fineTune.epochs", p);
                FineTuneSettings.LEARNING_RATE.check(s.fineTune().learningRate(), at + ".fineTune.learningRate", p);
            } else if (s.pruneTable() != null) {
                table(s.pruneTable(), at + ".pruneTable", p);
            } else {
                sensitivity(s.sensitivity(), at + ".sensitivity", p);
            }
        }
    }

    private static void prune(PruneStepSpec s, String at, List<String> p) {
        PruningSettings.MODE.check(s.mode(), at + ".mode", p);
        if (s.mode() == null) {
            return;
        }
        if (s.mode() == PruneMode.CONNECTION) {
            connection(s, at, p);
        } else {
            if (s.fraction() == null && s.layers().isEmpty()) {
                p.add(at + " needs fraction or layers for unit pruning");
            }
            PruningSettings.FRACTION.check(s.fraction(), at + ".fraction", p);
            PruningSettings.CRITERION.check(s.criterion(), at + ".criterion", p);
            if ("agp".equals(s.schedule())) {
                p.add(at + ".schedule agp applies to connection pruning only; use oneshot for units");
            }
        }
        for (Map.Entry<String, Double> l : s.layers().entrySet()) {
            PruningSettings.LAYER_SHARE.check(l.getValue(), at + ".layers." + l.getKey(), p);
        }
        fineTune(s.fineTuneEpochs(), s.fineTuneLearningRate(), at, p);
    }

    private static void connection(PruneStepSpec s, String at, List<String> p) {
        boolean layers = !s.layers().isEmpty();
        if (s.sparsity() == null && s.threshold() == null && !layers) {
            p.add(at + " needs sparsity, threshold or layers for connection pruning");
        }
        if (s.sparsity() != null && s.threshold() != null) {
            p.add(at + " sets both sparsity and threshold; give one: the share of weights to remove, or the"
                    + " magnitude below which they go");
        }
        PruningSettings.SPARSITY.check(s.sparsity(), at + ".sparsity", p);
        PruningSettings.THRESHOLD.check(s.threshold(), at + ".threshold", p);
        PruningSettings.SCOPE.check(s.scope(), at + ".scope", p);
        PruningSettings.SCHEDULE.check(s.schedule(), at + ".schedule", p);
        PruningSettings.SCHEDULE_STEPS.check(s.scheduleSteps(), at + ".scheduleSteps", p);
        if (s.threshold() != null && "agp".equals(s.schedule())) {
            p.add(at + ".threshold works with schedule oneshot only; agp reaches a sparsity in steps, so give"
                    + " sparsity instead");
        }
        if (layers && "global".equals(s.scope())) {
            p.add(at + ".layers gives each layer its own share, which needs scope: layer (scope is global,"
                    + " one threshold for all layers)");
        }
    }

    private static void quantize(QuantizeStepSpec s, String at, List<String> p) {
        QuantizationSettings.MODE.check(s.mode(), at + ".mode", p);
        String range = QuantizationSettings.BITS.problem(s.bits(), at + ".bits");
        String bits = QuantizationSettings.bitsProblem(s.mode(), s.bits(), s.symmetric());
        if (range != null) {
            p.add(range);
        } else if (bits != null) {
            p.add(at + ".bits " + bits);
        }
        QuantizationSettings.QAT_EPOCHS.check(s.qatEpochs(), at + ".qatEpochs", p);
        QuantizationSettings.QAT_LEARNING_RATE.check(s.qatLearningRate(), at + ".qatLearningRate", p);
        if (s.qatEpochs() > 0 && ("codebook".equals(s.mode()) || "half".equals(s.mode()))) {
            p.add(at + ".qatEpochs: quantization-aware training supports affine, binary and ternary, not " + s.mode());
        }
    }

    private static void quantSweep(QuantSweepSpec s, String at, List<String> p) {
        if (s.bits().isEmpty()) {
            p.add(at + ".bits must list at least one bit width");
        }
        each(QuantizationSettings.SWEEP_BITS, s.bits(), at + ".bits", p);
        if (s.granularity().isEmpty()) {
            p.add(at + ".granularity must list perChannel and/or perTensor");
        }
        each(QuantizationSettings.GRANULARITY, s.granularity(), at + ".granularity", p);
        QuantizationSettings.QAT_EPOCHS.check(s.qatEpochs(), at + ".qatEpochs", p);
        QuantizationSettings.QAT_LEARNING_RATE.check(s.qatLearningRate(), at + ".qatLearningRate", p);
        QuantizationSettings.FORMAT_EXAMPLES.check(s.formatExamples(), at + ".formatExamples", p);
    }

    private static void compare(ParallelCompareSpec s, String at, List<String> p) {
        if (s.modes().isEmpty()) {
            p.add(at + ".modes must list at least one of single, sync, async");
        }
        each(ComparisonSettings.MODE, s.modes(), at + ".modes", p);
        ComparisonSettings.EPOCHS.check(s.epochs(), at + ".epochs", p);
        ComparisonSettings.WORKERS.check(s.workers(), at + ".workers", p);
        ComparisonSettings.AVERAGING_FREQUENCY.check(s.averagingFrequency(), at + ".averagingFrequency", p);
    }

    private static void table(PruneTableSpec s, String at, List<String> p) {
        PruningSettings.MODE.check(s.mode(), at + ".mode", p);
        if (s.levels().isEmpty()) {
            p.add(at + ".levels must list at least one share to remove");
        }
        each(PruningSettings.LEVEL, s.levels(), at + ".levels", p);
        PruningSettings.CRITERION.check(s.criterion(), at + ".criterion", p);
        PruningSettings.SCOPE.check(s.scope(), at + ".scope", p);
        PruningSettings.TABLE_FINE_TUNE_EPOCHS.check(s.fineTuneEpochs(), at + ".fineTuneEpochs", p);
        PruningSettings.FINE_TUNE_LEARNING_RATE.check(s.fineTuneLearningRate(), at + ".fineTuneLearningRate", p);
    }

    private static void sensitivity(SensitivitySpec s, String at, List<String> p) {
        PruningSettings.MODE.check(s.mode(), at + ".mode", p);
        each(PruningSettings.LEVEL, s.levels(), at + ".levels", p);
        PruningSettings.CRITERION.check(s.criterion(), at + ".criterion", p);
    }

    private static void fineTune(int epochs, Double lr, String at, List<String> p) {
        PruningSettings.FINE_TUNE_EPOCHS.check(epochs, at + ".fineTuneEpochs", p);
        PruningSettings.FINE_TUNE_LEARNING_RATE.check(lr, at + ".fineTuneLearningRate", p);
    }

    private static <T> void each(Setting<T> setting, List<T> values, String at, List<String> p) {
        for (int i = 0; i < values.size(); i++) {
            setting.check(values.get(i), at + "[" + i + "]", p);
        }
    }
}
