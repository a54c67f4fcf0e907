package dev.keiryo.engine.job;

import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ParallelSpec;
import dev.keiryo.engine.backend.BackendInfo;
import dev.keiryo.engine.backend.DeviceSelection;
import dev.keiryo.engine.data.DataRequest;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.train.ParallelMode;
import dev.keiryo.engine.train.ParallelSettings;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.train.Updaters;

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
                e.seed(),
                t.lrSchedule());
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
        return Architecture.of(e.model());
    }

    static DataRequest data(Experiment e) {
        return DataRequest.of(e.data(), e.seed());
    }
}
