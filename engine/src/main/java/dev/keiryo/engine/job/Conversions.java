package dev.keiryo.engine.job;

import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ParallelSpec;
import dev.keiryo.engine.backend.BackendInfo;
import dev.keiryo.engine.backend.DeviceSelection;
import dev.keiryo.engine.data.DataRequest;
import dev.keiryo.engine.data.LabelColumn;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.train.ParallelMode;
import dev.keiryo.engine.train.ParallelSettings;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.train.Updaters;
import java.nio.file.Path;

/** Maps the experiment file's sections onto the engine's own settings types. */
final class Conversions {
    private Conversions() {}

    static TrainSettings train(Experiment e) {
        var t = e.train();
        return new TrainSettings(
                Updaters.parse(t.optimizer().id()),
                t.learningRate(),
                t.batchSize(),
                t.epochs(),
                TrainSettings.parseDataType(t.dataType().id()),
                t.weightDecay(),
                t.earlyStoppingPatience(),
                t.checkpointEveryEpochs(),
                e.seed());
    }

    /** The data-parallel settings; {@code devices} decides the automatic worker count (2 on the CPU, one per GPU). */
    static ParallelSettings parallel(Experiment e, DeviceSelection devices) {
        ParallelSpec p = e.train().parallel();
        ParallelMode mode = ParallelMode.parse(p.mode().id());
        if (mode == ParallelMode.SINGLE) {
            return ParallelSettings.single();
        }
        int workers = p.workers() != null
                ? p.workers()
                : devices.cpu() ? 2 : Math.max(2, devices.devices().size());
        return new ParallelSettings(
                mode,
                workers,
                p.averagingFrequency(),
                p.averageUpdaters(),
                p.prefetch(),
                p.threshold() == null ? ParallelSettings.DEFAULT_THRESHOLD : p.threshold(),
                p.thresholdAlgorithm() == ParallelSpec.ThresholdAlgorithm.ADAPTIVE,
                Math.min(ParallelSettings.DEFAULT_MIN_SPARSITY, p.maxSparsity()),
                p.maxSparsity(),
                p.residualClip(),
                p.stallSeconds(),
                0);
    }

    static DeviceSelection devices(Experiment e, BackendInfo backend, String field) {
        ParallelSpec p = e.train().parallel();
        return DeviceSelection.select(
                backend, p.devices(), p.deviceFallback() == ParallelSpec.DeviceFallback.CPU, field);
    }

    static Architecture model(Experiment e) {
        var m = e.model();
        return new Architecture(ArchitecturePreset.parse(m.preset().id()), m.width(), m.hidden(), m.dropout());
    }

    static DataRequest data(Experiment e) {
        var d = e.data();
        return new DataRequest(
                d.source().id(),
                d.path() == null ? null : Path.of(d.path()),
                d.testPath() == null ? null : Path.of(d.testPath()),
                d.labelColumn() == null ? LabelColumn.LAST : LabelColumn.of(d.labelColumn()),
                DataRequest.DEFAULT_TEST_FRACTION,
                e.seed());
    }
}
