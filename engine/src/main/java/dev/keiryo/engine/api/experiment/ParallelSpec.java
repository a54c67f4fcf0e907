package dev.keiryo.engine.api.experiment;

import dev.keiryo.engine.api.settings.Choice;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The data-parallel part of an experiment's {@code train:} section. In the file these are plain
 * fields of {@code train:} ({@code mode: sync, workers: 2, ...}); they are grouped here so the rest of
 * {@link TrainSpec} stays small.
 *
 * @param workers null = automatic: 2 CPU workers, or one per selected GPU
 * @param devices empty = automatic: the GPUs of a CUDA build, else the CPU; "cpu", "cuda" (all GPUs) or "cuda:N"
 * @param threshold async: initial (adaptive) or fixed threshold of the update encoding; null = DL4J's 1e-4
 * @param maxSparsity async, adaptive threshold: the largest share of update entries sent per iteration
 */
public record ParallelSpec(
        TrainMode mode,
        Integer workers,
        int averagingFrequency,
        boolean averageUpdaters,
        int prefetch,
        List<String> devices,
        DeviceFallback deviceFallback,
        ThresholdAlgorithm thresholdAlgorithm,
        Double threshold,
        double maxSparsity,
        double residualClip,
        int stallSeconds) {

    public ParallelSpec {
        devices = devices == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(devices));
    }

    public static ParallelSpec defaults() {
        return of(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    static ParallelSpec of(
            TrainMode mode,
            Integer workers,
            Integer averagingFrequency,
            Boolean averageUpdaters,
            Integer prefetch,
            List<String> devices,
            DeviceFallback deviceFallback,
            ThresholdAlgorithm thresholdAlgorithm,
            Double threshold,
            Double maxSparsity,
            Double residualClip,
            Integer stallSeconds) {
        return new ParallelSpec(
                mode == null ? DataParallelSettings.MODE.defaultValue() : mode,
                workers,
                averagingFrequency == null
                        ? DataParallelSettings.AVERAGING_FREQUENCY.defaultValue()
                        : averagingFrequency,
                averageUpdaters == null ? DataParallelSettings.AVERAGE_UPDATERS.defaultValue() : averageUpdaters,
                prefetch == null ? DataParallelSettings.PREFETCH.defaultValue() : prefetch,
                devices,
                deviceFallback == null ? DataParallelSettings.DEVICE_FALLBACK.defaultValue() : deviceFallback,
                thresholdAlgorithm == null
                        ? DataParallelSettings.THRESHOLD_ALGORITHM.defaultValue()
                        : thresholdAlgorithm,
                threshold,
                maxSparsity == null ? DataParallelSettings.MAX_SPARSITY.defaultValue() : maxSparsity,
                residualClip == null ? DataParallelSettings.RESIDUAL_CLIP.defaultValue() : residualClip,
                stallSeconds == null ? DataParallelSettings.STALL_SECONDS.defaultValue() : stallSeconds);
    }

    public ParallelSpec withMode(TrainMode v) {
        return new ParallelSpec(
                v,
                workers,
                averagingFrequency,
                averageUpdaters,
                prefetch,
                devices,
                deviceFallback,
                thresholdAlgorithm,
                threshold,
                maxSparsity,
                residualClip,
                stallSeconds);
    }

    public ParallelSpec withWorkers(Integer v) {
        return new ParallelSpec(
                mode,
                v,
                averagingFrequency,
                averageUpdaters,
                prefetch,
                devices,
                deviceFallback,
                thresholdAlgorithm,
                threshold,
                maxSparsity,
                residualClip,
                stallSeconds);
    }

    public ParallelSpec withAveragingFrequency(int v) {
        return new ParallelSpec(
                mode,
                workers,
                v,
                averageUpdaters,
                prefetch,
                devices,
                deviceFallback,
                thresholdAlgorithm,
                threshold,
                maxSparsity,
                residualClip,
                stallSeconds);
    }

    public ParallelSpec withDevices(List<String> v) {
        return new ParallelSpec(
                mode,
                workers,
                averagingFrequency,
                averageUpdaters,
                prefetch,
                v,
                deviceFallback,
                thresholdAlgorithm,
                threshold,
                maxSparsity,
                residualClip,
                stallSeconds);
    }

    public ParallelSpec withDeviceFallback(DeviceFallback v) {
        return new ParallelSpec(
                mode,
                workers,
                averagingFrequency,
                averageUpdaters,
                prefetch,
                devices,
                v,
                thresholdAlgorithm,
                threshold,
                maxSparsity,
                residualClip,
                stallSeconds);
    }

    public ParallelSpec withThreshold(ThresholdAlgorithm algorithm, Double t, double maxSp, double clip) {
        return new ParallelSpec(
                mode,
                workers,
                averagingFrequency,
                averageUpdaters,
                prefetch,
                devices,
                deviceFallback,
                algorithm,
                t,
                maxSp,
                clip,
                stallSeconds);
    }

    public ParallelSpec withStallSeconds(int v) {
        return new ParallelSpec(
                mode,
                workers,
                averagingFrequency,
                averageUpdaters,
                prefetch,
                devices,
                deviceFallback,
                thresholdAlgorithm,
                threshold,
                maxSparsity,
                residualClip,
                v);
    }

    /** single: one model on one device; sync: parameter averaging; async: threshold-encoded gradient sharing. */
    public enum TrainMode implements Choice {
        SINGLE("single"),
        SYNC("sync"),
        ASYNC("async");

        private final String id;

        TrainMode(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    /** What to do when the devices asked for are GPUs and none is usable. */
    public enum DeviceFallback implements Choice {
        CPU("cpu"),
        FAIL("fail");

        private final String id;

        DeviceFallback(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    /** adaptive: the threshold follows a target share of updates sent; fixed: it stays put. */
    public enum ThresholdAlgorithm implements Choice {
        ADAPTIVE("adaptive"),
        FIXED("fixed");

        private final String id;

        ThresholdAlgorithm(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }
}
