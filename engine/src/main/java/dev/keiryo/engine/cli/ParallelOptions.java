package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.experiment.DataParallelSettings;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ParallelCompareSpec;
import dev.keiryo.engine.api.experiment.ParallelSpec;
import dev.keiryo.engine.api.experiment.StepSpec;
import java.util.List;
import picocli.CommandLine.Option;

/** Flags for data-parallel training; they override the experiment's train.mode, train.workers, ... */
final class ParallelOptions {
    @Option(names = "--mode", paramLabel = "MODE", descriptionKey = "train.mode")
    String mode;

    @Option(names = "--workers", paramLabel = "N", descriptionKey = "train.workers")
    Integer workers;

    @Option(names = "--averaging-frequency", paramLabel = "K", descriptionKey = "train.averagingFrequency")
    Integer averagingFrequency;

    @Option(names = "--no-average-updaters", descriptionKey = "train.averageUpdaters")
    boolean noAverageUpdaters;

    @Option(names = "--prefetch", paramLabel = "N", descriptionKey = "train.prefetch")
    Integer prefetch;

    @Option(names = "--stall-seconds", paramLabel = "S", descriptionKey = "train.stallSeconds")
    Integer stallSeconds;

    @Option(names = "--devices", split = ",", paramLabel = "DEV", descriptionKey = "train.devices")
    List<String> devices;

    @Option(names = "--device-fallback", paramLabel = "cpu|fail", descriptionKey = "train.deviceFallback")
    String deviceFallback;

    @Option(names = "--threshold-algorithm", paramLabel = "adaptive|fixed", descriptionKey = "train.thresholdAlgorithm")
    String thresholdAlgorithm;

    @Option(names = "--threshold", descriptionKey = "train.threshold")
    Double threshold;

    @Option(names = "--max-sparsity", paramLabel = "S", descriptionKey = "train.maxSparsity")
    Double maxSparsity;

    @Option(names = "--residual-clip", paramLabel = "C", descriptionKey = "train.residualClip")
    Double residualClip;

    /** Appends the comparison step, with --workers and --averaging-frequency if given. */
    Experiment withCompareStep(Experiment e) {
        ParallelCompareSpec d = ParallelCompareSpec.defaults();
        ParallelCompareSpec c = new ParallelCompareSpec(
                d.modes(),
                null,
                workers != null ? workers : d.workers(),
                averagingFrequency != null ? averagingFrequency : d.averagingFrequency());
        List<StepSpec> steps = new java.util.ArrayList<>(e.steps());
        steps.add(StepSpec.of(c));
        return e.withSteps(steps);
    }

    Experiment apply(Experiment e) {
        return e.withTrain(e.train().withParallel(parallel(e.train().parallel())));
    }

    private ParallelSpec parallel(ParallelSpec p) {
        if (mode != null) {
            p = p.withMode(DataParallelSettings.MODE.parse(mode));
        }
        if (workers != null) {
            if (mode == null && workers >= 2 && p.mode() == ParallelSpec.TrainMode.SINGLE) {
                p = p.withMode(ParallelSpec.TrainMode.SYNC);
            }
            p = p.withWorkers(p.mode() == ParallelSpec.TrainMode.SINGLE && workers == 1 ? null : workers);
        }
        if (averagingFrequency != null) {
            p = p.withAveragingFrequency(averagingFrequency);
        }
        if (noAverageUpdaters || prefetch != null) {
            p = new ParallelSpec(
                    p.mode(),
                    p.workers(),
                    p.averagingFrequency(),
                    p.averageUpdaters() && !noAverageUpdaters,
                    prefetch != null ? prefetch : p.prefetch(),
                    p.devices(),
                    p.deviceFallback(),
                    p.thresholdAlgorithm(),
                    p.threshold(),
                    p.maxSparsity(),
                    p.residualClip(),
                    p.stallSeconds());
        }
        if (stallSeconds != null) {
            p = p.withStallSeconds(stallSeconds);
        }
        if (devices != null) {
            p = p.withDevices(devices);
        }
        if (deviceFallback != null) {
            p = p.withDeviceFallback(DataParallelSettings.DEVICE_FALLBACK.parse(deviceFallback));
        }
        if (thresholdAlgorithm != null || threshold != null || maxSparsity != null || residualClip != null) {
            p = p.withThreshold(
                    thresholdAlgorithm == null
                            ? p.thresholdAlgorithm()
                            : DataParallelSettings.THRESHOLD_ALGORITHM.parse(thresholdAlgorithm),
                    threshold == null ? p.threshold() : threshold,
                    maxSparsity == null ? p.maxSparsity() : maxSparsity,
                    residualClip == null ? p.residualClip() : residualClip);
        }
        return p;
    }
}
