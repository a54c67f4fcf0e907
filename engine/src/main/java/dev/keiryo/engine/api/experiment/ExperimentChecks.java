package dev.keiryo.engine.api.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of an experiment, kept apart from the records so those stay plain data. Each field is
 * checked by its declaration ({@link SettingsCatalog}); what is left here are the rules between
 * fields.
 */
public final class ExperimentChecks {

    /** Also the rule for run folder names, which embed the experiment name. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ExperimentChecks() {}

    static List<String> problems(Experiment e) {
        List<String> p = new ArrayList<>();
        if (e.schemaVersion() != Experiment.SCHEMA_VERSION) {
            p.add("schemaVersion must be " + Experiment.SCHEMA_VERSION + " (was " + e.schemaVersion() + ")");
        }
        RunSettings.NAME.check(e.name(), "name", p);
        data(e.data(), p);
        model(e.model(), p);
        train(e.train(), p);
        StepChecks.check(e, p);
        return p;
    }

    private static void data(DataSpec d, List<String> p) {
        DataSettings.SOURCE.check(d.source(), "data.source", p);
        if ((d.source() == DataSpec.Source.IDX
                        || d.source() == DataSpec.Source.CSV
                        || d.source() == DataSpec.Source.IMAGES)
                && blank(d.path())) {
            p.add("data.path must be set when data.source is " + d.source().id());
        }
        DataSettings.VALIDATION_FRACTION.check(d.validationFraction(), "data.validationFraction", p);
        DataSettings.NORMALIZATION.check(d.normalization(), "data.normalization", p);
        DataSettings.LIMIT_TRAIN.check(d.limitTrain(), "data.limitTrain", p);
        DataSettings.IMAGE_SIZE.check(d.imageSize(), "data.imageSize", p);
        DataSettings.AUGMENT.check(d.augment(), "data.augment", p);
    }

    private static void model(ModelSpec m, List<String> p) {
        ModelSettings.PRESET.check(m.preset(), "model.preset", p);
        ModelSettings.WIDTH.check(m.width(), "model.width", p);
        for (int i = 0; i < m.hidden().size(); i++) {
            ModelSettings.HIDDEN.check(m.hidden().get(i), "model.hidden[" + i + "]", p);
        }
        ModelSettings.DROPOUT.check(m.dropout(), "model.dropout", p);
    }

    private static void train(TrainSpec t, List<String> p) {
        TrainingSettings.OPTIMIZER.check(t.optimizer(), "train.optimizer", p);
        TrainingSettings.LEARNING_RATE.check(t.learningRate(), "train.learningRate", p);
        TrainingSettings.BATCH_SIZE.check(t.batchSize(), "train.batchSize", p);
        TrainingSettings.EPOCHS.check(t.epochs(), "train.epochs", p);
        TrainingSettings.DATA_TYPE.check(t.dataType(), "train.dataType", p);
        TrainingSettings.WEIGHT_DECAY.check(t.weightDecay(), "train.weightDecay", p);
        TrainingSettings.LR_SCHEDULE.check(t.lrSchedule(), "train.lrSchedule", p);
        TrainingSettings.PATIENCE.check(t.earlyStoppingPatience(), "train.earlyStoppingPatience", p);
        TrainingSettings.CHECKPOINT_EVERY.check(t.checkpointEveryEpochs(), "train.checkpointEveryEpochs", p);
        parallel(t.parallel(), p);
    }

    private static void parallel(ParallelSpec s, List<String> p) {
        if (s.mode() == null) {
            DataParallelSettings.MODE.check(null, "train.mode", p);
            return;
        }
        Integer w = s.workers();
        if (s.mode() == ParallelSpec.TrainMode.SINGLE && w != null && w != 1) {
            p.add("train.workers is " + w + " but train.mode is single; set train.mode to sync or async");
        } else if (s.mode() != ParallelSpec.TrainMode.SINGLE) {
            String bad = DataParallelSettings.WORKERS.problem(w, "train.workers");
            if (bad != null) {
                p.add(bad + " in " + s.mode().id() + " mode; use train.mode single for one worker");
            }
        }
        DataParallelSettings.AVERAGING_FREQUENCY.check(s.averagingFrequency(), "train.averagingFrequency", p);
        DataParallelSettings.PREFETCH.check(s.prefetch(), "train.prefetch", p);
        for (int i = 0; i < s.devices().size(); i++) {
            DataParallelSettings.DEVICE_NAME.check(s.devices().get(i), "train.devices[" + i + "]", p);
        }
        DataParallelSettings.DEVICE_FALLBACK.check(s.deviceFallback(), "train.deviceFallback", p);
        DataParallelSettings.THRESHOLD_ALGORITHM.check(s.thresholdAlgorithm(), "train.thresholdAlgorithm", p);
        DataParallelSettings.THRESHOLD.check(s.threshold(), "train.threshold", p);
        DataParallelSettings.MAX_SPARSITY.check(s.maxSparsity(), "train.maxSparsity", p);
        DataParallelSettings.RESIDUAL_CLIP.check(s.residualClip(), "train.residualClip", p);
        DataParallelSettings.STALL_SECONDS.check(s.stallSeconds(), "train.stallSeconds", p);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
