package dev.keiryo.engine.train;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.DataParallelSettings;

/**
 * How data-parallel training is set up, on top of {@link TrainSettings} (whose batch size is each
 * worker's: the global batch is {@code workers x batchSize}).
 *
 * @param averagingFrequency sync: average parameters every this many iterations (one iteration = one
 *     minibatch per worker)
 * @param averageUpdaters sync: also average the optimizer state (Adam moments etc.)
 * @param prefetch minibatches prepared ahead in a background thread; 0 = none
 * @param threshold async: the initial threshold of the adaptive algorithm, or the fixed threshold
 * @param adaptiveThreshold async: adapt the threshold to keep the encoded share of updates between
 *     {@code minSparsity} and {@code maxSparsity}
 * @param residualClip async: clip the residual (the part of updates not sent yet) to this many
 *     thresholds every 5 iterations; 0 = never
 * @param stallSeconds the watchdog gives up on workers that finish no minibatch for this long
 * @param threadsPerWorker native threads per CPU worker; 0 = cores / workers (at least 1)
 */
public record ParallelSettings(
        ParallelMode mode,
        int workers,
        int averagingFrequency,
        boolean averageUpdaters,
        int prefetch,
        double threshold,
        boolean adaptiveThreshold,
        double minSparsity,
        double maxSparsity,
        double residualClip,
        int stallSeconds,
        int threadsPerWorker) {

    public static final double DEFAULT_THRESHOLD = 1e-4;
    public static final double DEFAULT_MIN_SPARSITY = 1e-4;
    public static final double DEFAULT_MAX_SPARSITY = 1e-2;

    public ParallelSettings {
        if (mode == null) {
            throw new KeiryoException("train.mode must be single, sync or async.");
        }
        if (mode != ParallelMode.SINGLE) {
            DataParallelSettings.WORKERS.require(workers);
        }
        DataParallelSettings.AVERAGING_FREQUENCY.require(averagingFrequency);
        DataParallelSettings.PREFETCH.require(prefetch);
        if (!(threshold > 0) || !Double.isFinite(threshold)) {
            throw new KeiryoException("train.threshold must be > 0 (was " + threshold + ").");
        }
        if (!(minSparsity > 0 && minSparsity <= maxSparsity && maxSparsity <= 1)) {
            throw new KeiryoException("train.minSparsity and train.maxSparsity must satisfy 0 < min <= max <= 1 (were "
                    + minSparsity + ", " + maxSparsity + ").");
        }
        DataParallelSettings.RESIDUAL_CLIP.require(residualClip);
        DataParallelSettings.STALL_SECONDS.require(stallSeconds);
        if (threadsPerWorker < 0) {
            throw new KeiryoException("threads per worker must be >= 0, 0 = automatic (was " + threadsPerWorker + ").");
        }
    }

    public static ParallelSettings single() {
        return new ParallelSettings(
                ParallelMode.SINGLE,
                1,
                DataParallelSettings.AVERAGING_FREQUENCY.defaultValue(),
                DataParallelSettings.AVERAGE_UPDATERS.defaultValue(),
                DataParallelSettings.PREFETCH.defaultValue(),
                DEFAULT_THRESHOLD,
                true,
                DEFAULT_MIN_SPARSITY,
                DEFAULT_MAX_SPARSITY,
                DataParallelSettings.RESIDUAL_CLIP.defaultValue(),
                DataParallelSettings.STALL_SECONDS.defaultValue(),
                0);
    }

    public static ParallelSettings sync(int workers, int averagingFrequency) {
        return single().with(ParallelMode.SYNC, workers).withAveragingFrequency(averagingFrequency);
    }

    public static ParallelSettings async(int workers) {
        return single().with(ParallelMode.ASYNC, workers);
    }

    public boolean parallel() {
        return mode != ParallelMode.SINGLE;
    }

    public ParallelSettings with(ParallelMode m, int w) {
        return new ParallelSettings(
                m,
                w,
                averagingFrequency,
                averageUpdaters,
                prefetch,
                threshold,
                adaptiveThreshold,
                minSparsity,
                maxSparsity,
                residualClip,
                stallSeconds,
                threadsPerWorker);
    }

    public ParallelSettings withAveragingFrequency(int k) {
        return new ParallelSettings(
                mode,
                workers,
                k,
                averageUpdaters,
                prefetch,
                threshold,
                adaptiveThreshold,
                minSparsity,
                maxSparsity,
                residualClip,
                stallSeconds,
                threadsPerWorker);
    }

    public ParallelSettings withThreshold(double t, boolean adaptive, double minSp, double maxSp, double clip) {
        return new ParallelSettings(
                mode,
                workers,
                averagingFrequency,
                averageUpdaters,
                prefetch,
                t,
                adaptive,
                minSp,
                maxSp,
                clip,
                stallSeconds,
                threadsPerWorker);
    }

    public ParallelSettings withPrefetch(int n) {
        return new ParallelSettings(
                mode,
                workers,
                averagingFrequency,
                averageUpdaters,
                n,
                threshold,
                adaptiveThreshold,
                minSparsity,
                maxSparsity,
                residualClip,
                stallSeconds,
                threadsPerWorker);
    }

    public ParallelSettings withStallSeconds(int s) {
        return new ParallelSettings(
                mode,
                workers,
                averagingFrequency,
                averageUpdaters,
                prefetch,
                threshold,
                adaptiveThreshold,
                minSparsity,
                maxSparsity,
                residualClip,
                s,
                threadsPerWorker);
    }
}
