package dev.keiryo.engine.job;

import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.TrainingListener;
import dev.keiryo.engine.experiment.MetricsLog;
import dev.keiryo.engine.report.LearningCurves;

/** Writes every training event to the run's metrics and learning curves, then passes it on. */
final class RunRecorder implements TrainingListener {
    private final MetricsLog metrics;
    private final LearningCurves curves;
    private final TrainingListener next;

    RunRecorder(MetricsLog metrics, LearningCurves curves, TrainingListener next) {
        this.metrics = metrics;
        this.curves = curves;
        this.next = next;
    }

    @Override
    public void onEvent(TrainingEvent event) {
        if (event instanceof TrainingEvent.Iteration it) {
            metrics.log(it.epoch(), it.iteration(), "train", "loss", it.loss());
            curves.iteration(it.epoch() - 1 + (double) it.batchInEpoch() / it.batchesPerEpoch(), it.loss());
        } else if (event instanceof TrainingEvent.Epoch e) {
            metrics.log(e.epoch(), -1, "train", "epoch_loss", e.trainLoss());
            metrics.log(e.epoch(), -1, "train", "samples_per_second", e.samplesPerSecond());
            metrics.log(e.epoch(), -1, "train", "epoch_seconds", e.seconds());
            if (Double.isFinite(e.validationAccuracy())) {
                metrics.log(e.epoch(), -1, "validation", "accuracy", e.validationAccuracy());
                metrics.log(e.epoch(), -1, "validation", "loss", e.validationLoss());
            }
            curves.epoch(e.epoch(), e.validationLoss(), e.validationAccuracy());
        }
        next.onEvent(event);
    }
}
