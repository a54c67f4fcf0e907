package dev.keiryo.engine.train.parallel;

import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainingListener;
import dev.keiryo.engine.train.EpochRunner;
import dev.keiryo.engine.train.OpThreads;
import dev.keiryo.engine.train.ParallelMode;
import dev.keiryo.engine.train.ParallelSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.ResidualPostProcessor;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.ThresholdAlgorithm;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.residual.NoOpResidualPostProcessor;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.residual.ResidualClippingPostProcessor;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.AdaptiveThresholdAlgorithm;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.FixedThresholdAlgorithm;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Data-parallel epochs on DL4J's ParallelWrapper. Worker 0 trains the network object itself; the
 * others are replicas rebuilt from its JSON configuration (so serialized constraints such as pruning
 * masks, and weight noise such as quantization-aware training hooks, come along) with its
 * parameters and updater state copied.
 *
 * <p>A fresh wrapper per epoch: a second {@code fit()} of the same SHARED_GRADIENTS wrapper
 * deadlocked in 3 of 4 runs, a fresh one never did. Every fit runs under {@link FitWatchdog}.
 *
 * <p>A paused token holds the feed between rounds of minibatches ({@link FeedIterator}); the idle
 * workers wait for work, and the watchdog's clock and samples/s leave the held time out.
 */
public final class ParallelEpochs implements EpochRunner {
    private static final int RESIDUAL_CLIP_EVERY = 5;

    private final MultiLayerNetwork net;
    private final ParallelSettings settings;
    private final long examplesPerEpoch;

    public ParallelEpochs(MultiLayerNetwork net, ParallelSettings settings, long examplesPerEpoch) {
        if (!settings.parallel()) {
            throw new IllegalArgumentException("ParallelEpochs needs mode sync or async, not "
                    + settings.mode().id());
        }
        this.net = net;
        this.settings = settings;
        this.examplesPerEpoch = examplesPerEpoch;
    }

    @SuppressWarnings("try") // the resource scopes a native setting; the body never names it
    @Override
    public EpochRun run(
            int epoch,
            long firstIteration,
            DataSetIterator train,
            int batches,
            TrainingListener listener,
            CancellationToken cancel) {
        if (cancel.isCancelled()) {
            return EpochRun.stopped(TrainOutcome.CANCELLED, null);
        }
        WorkerProgress progress =
                new WorkerProgress(epoch, firstIteration, batches, train.batch(), examplesPerEpoch, listener, cancel);
        FeedIterator feed = new FeedIterator(train, settings.prefetch(), settings.workers(), cancel, progress);
        // The wrapper moves the network's listeners to itself and leaves its own on worker 0 (the network):
        // without restoring them, each epoch's progress listener would also report in every later epoch.
        List<org.deeplearning4j.optimize.api.TrainingListener> own = new ArrayList<>(net.getListeners());
        ParallelWrapper wrapper = wrapper();
        wrapper.setListeners(progress);
        FitWatchdog.Ending ending;
        try (OpThreads.Scope threads = OpThreads.limit(threadsPerWorker())) {
            ending = FitWatchdog.run(
                    () -> wrapper.fit(feed),
                    progress::lastProgressNanos,
                    () -> {
                        feed.stop();
                        wrapper.stopFit();
                    },
                    cancel,
                    TimeUnit.SECONDS.toNanos(settings.stallSeconds()),
                    "keiryo-parallel-fit-epoch-" + epoch);
        }
        if (ending == FitWatchdog.Ending.FINISHED) {
            feed.close();
            net.setListeners(own);
        }
        if (ending == FitWatchdog.Ending.STALLED && cancel.isCancelled()) {
            // The user asked for the stop; workers slow to wind down (a loaded machine) are no hang to report.
            return EpochRun.stopped(TrainOutcome.CANCELLED, null);
        }
        if (ending == FitWatchdog.Ending.STALLED) {
            return EpochRun.stopped(
                    TrainOutcome.STALLED,
                    String.format(
                            Locale.ROOT,
                            "the %d %s workers finished no minibatch for %d s in epoch %d (a known ParallelWrapper hang); Keiryo"
                                    + " stopped waiting, so this run holds the checkpoint of the epoch before; run it again, or"
                                    + " use train.mode sync or single.",
                            settings.workers(),
                            settings.mode().id(),
                            settings.stallSeconds(),
                            epoch));
        }
        if (progress.divergence() != null) {
            return new EpochRun(
                    feed.examples(),
                    progress.lossSum(),
                    progress.minibatches(),
                    progress.minibatches(),
                    TrainOutcome.DIVERGED,
                    progress.divergence());
        }
        if (cancel.isCancelled()) {
            return EpochRun.stopped(TrainOutcome.CANCELLED, null);
        }
        return new EpochRun(
                feed.examples(), progress.lossSum(), progress.minibatches(), progress.minibatches(), null, null);
    }

    /**
     * ND4J op threads per worker: the cores shared out, so workers don't oversubscribe them. (Until
     * 2026-11-28 this went through {@code setMaxThreads}, which ND4J M2.1 ignores below the core
     * count, so it never applied; see {@link OpThreads}.)
     */
    int threadsPerWorker() {
        if (settings.threadsPerWorker() > 0) {
            return settings.threadsPerWorker();
        }
        return Math.max(1, dev.keiryo.engine.backend.NativeSetup.cpuCores() / settings.workers());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private ParallelWrapper wrapper() {
        ParallelWrapper.Builder b = new ParallelWrapper.Builder<>(net)
                .workers(settings.workers())
                .prefetchBuffer(0) // the feed prefetches below its pause (see FeedIterator)
                .workspaceMode(WorkspaceMode.ENABLED);
        if (settings.mode() == ParallelMode.SYNC) {
            b = b.trainingMode(ParallelWrapper.TrainingMode.AVERAGING)
                    .averagingFrequency(settings.averagingFrequency())
                    .averageUpdaters(settings.averageUpdaters());
        } else {
            b = b.trainingMode(ParallelWrapper.TrainingMode.SHARED_GRADIENTS)
                    .thresholdAlgorithm(threshold())
                    .residualPostProcessor(residual());
        }
        return b.build();
    }

    private ThresholdAlgorithm threshold() {
        return settings.adaptiveThreshold()
                ? new AdaptiveThresholdAlgorithm(
                        settings.threshold(),
                        settings.minSparsity(),
                        settings.maxSparsity(),
                        AdaptiveThresholdAlgorithm.DEFAULT_DECAY_RATE)
                : new FixedThresholdAlgorithm(settings.threshold());
    }

    private ResidualPostProcessor residual() {
        return settings.residualClip() > 0
                ? new ResidualClippingPostProcessor(settings.residualClip(), RESIDUAL_CLIP_EVERY)
                : new NoOpResidualPostProcessor();
    }
}
