package dev.keiryo.engine.api.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The semantic rules of an experiment, kept apart from the records so those stay plain data. */
public final class ExperimentChecks {

    /** Also the rule for run folder names, which embed the experiment name. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ExperimentChecks() {}

    static List<String> problems(Experiment e) {
        List<String> p = new ArrayList<>();
        if (e.schemaVersion() != Experiment.SCHEMA_VERSION) {
            p.add("schemaVersion must be " + Experiment.SCHEMA_VERSION + " (was " + e.schemaVersion() + ")");
        }
        if (e.name() == null || !NAME.matcher(e.name()).matches()) {
            p.add("name must be 1 to 64 letters, digits, '.', '_' or '-' (was " + quote(e.name()) + ")");
        }
        data(e.data(), p);
        model(e.model(), p);
        train(e.train(), p);
        StepChecks.check(e, p);
        return p;
    }

    private static void data(DataSpec d, List<String> p) {
        if (d.source() == null) {
            p.add("data.source must be set");
        } else if ((d.source() == DataSpec.Source.IDX || d.source() == DataSpec.Source.CSV) && blank(d.path())) {
            p.add("data.path must be set when data.source is " + d.source().id());
        }
        if (!(d.validationFraction() >= 0 && d.validationFraction() < 1)) {
            p.add("data.validationFraction must be >= 0 and < 1 (was " + d.validationFraction() + ")");
        }
        if (d.normalization() == null) {
            p.add("data.normalization must be set");
        }
        if (d.limitTrain() != null && d.limitTrain() < 1) {
            p.add("data.limitTrain must be >= 1 or null for all examples (was " + d.limitTrain() + ")");
        }
    }

    private static void model(ModelSpec m, List<String> p) {
        if (m.preset() == null) {
            p.add("model.preset must be set");
        }
        if (!(m.width() > 0) || !Double.isFinite(m.width())) {
            p.add("model.width must be > 0 (was " + m.width() + ")");
        }
        for (int i = 0; i < m.hidden().size(); i++) {
            Integer size = m.hidden().get(i);
            if (size == null || size < 1) {
                p.add("model.hidden[" + i + "] must be >= 1 (was " + size + ")");
            }
        }
        if (!(m.dropout() >= 0 && m.dropout() < 1)) {
            p.add("model.dropout must be >= 0 and < 1 (was " + m.dropout() + ")");
        }
    }

    private static void train(TrainSpec t, List<String> p) {
        if (t.optimizer() == null) {
            p.add("train.optimizer must be set");
        }
        if (!(t.learningRate() > 0) || !Double.isFinite(t.learningRate())) {
            p.add("train.learningRate must be > 0 (was " + t.learningRate() + ")");
        }
        if (t.batchSize() < 1) {
            p.add("train.batchSize must be >= 1 (was " + t.batchSize() + ")");
        }
        if (t.epochs() < 0) {
            p.add("train.epochs must be >= 0 (was " + t.epochs() + "; 0 only with model.load)");
        }
        if (t.dataType() == null) {
            p.add("train.dataType must be set");
        }
        if (!(t.weightDecay() >= 0) || !Double.isFinite(t.weightDecay())) {
            p.add("train.weightDecay must be >= 0 (was " + t.weightDecay() + ")");
        }
        if (t.earlyStoppingPatience() < 0) {
            p.add("train.earlyStoppingPatience must be >= 0, 0 = off (was " + t.earlyStoppingPatience() + ")");
        }
        if (t.checkpointEveryEpochs() < 0) {
            p.add("train.checkpointEveryEpochs must be >= 0, 0 = never (was " + t.checkpointEveryEpochs() + ")");
        }
        parallel(t.parallel(), p);
    }

    private static void parallel(ParallelSpec s, List<String> p) {
        if (s.mode() == null) {
            p.add("train.mode must be single, sync or async");
            return;
        }
        Integer w = s.workers();
        if (s.mode() != ParallelSpec.TrainMode.SINGLE && w != null && w < 2) {
            p.add("train.workers must be at least 2 in " + s.mode().id() + " mode (was " + w
                    + "); use train.mode single for one worker");
        }
        if (s.mode() == ParallelSpec.TrainMode.SINGLE && w != null && w != 1) {
            p.add("train.workers is " + w + " but train.mode is single; set train.mode to sync or async");
        }
        if (s.averagingFrequency() < 1) {
            p.add("train.averagingFrequency must be at least 1 (was " + s.averagingFrequency() + ")");
        }
        if (s.prefetch() < 0) {
            p.add("train.prefetch must be >= 0, 0 = off (was " + s.prefetch() + ")");
        }
        for (int i = 0; i < s.devices().size(); i++) {
            if (!dev.keiryo.engine.backend.DeviceSelection.wellFormed(
                    s.devices().get(i))) {
                p.add("train.devices[" + i + "] must be cpu, cuda or cuda:N (was "
                        + quote(s.devices().get(i)) + ")");
            }
        }
        if (s.deviceFallback() == null) {
            p.add("train.deviceFallback must be cpu or fail");
        }
        if (s.thresholdAlgorithm() == null) {
            p.add("train.thresholdAlgorithm must be adaptive or fixed");
        }
        if (s.threshold() != null && !(s.threshold() > 0 && s.threshold() < 1)) {
            p.add("train.threshold must be > 0 and < 1 (was " + s.threshold() + ")");
        }
        if (!(s.maxSparsity() > 0 && s.maxSparsity() <= 1)) {
            p.add("train.maxSparsity must be > 0 and <= 1 (was " + s.maxSparsity() + ")");
        }
        if (!(s.residualClip() >= 0) || !Double.isFinite(s.residualClip())) {
            p.add("train.residualClip must be >= 0, 0 = off (was " + s.residualClip() + ")");
        }
        if (s.stallSeconds() < 1) {
            p.add("train.stallSeconds must be at least 1 (was " + s.stallSeconds() + ")");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
