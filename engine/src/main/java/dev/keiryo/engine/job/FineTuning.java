package dev.keiryo.engine.job;

import dev.keiryo.engine.api.run.TrainResult;
import dev.keiryo.engine.api.run.TrainState;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.train.Trainer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Fine-tunes a compressed network in place on the run's training data, with the run's listener. */
final class FineTuning {
    private FineTuning() {}

    static TrainResult run(StepContext ctx, ComputationGraph net, int epochs, Double learningRate, String what) {
        TrainSettings s = ctx.settings;
        double lr = learningRate != null ? learningRate : s.learningRate();
        TrainSettings ft = new TrainSettings(
                s.optimizer(),
                lr,
                s.batchSize(),
                epochs,
                s.dataType(),
                s.weightDecay(),
                0,
                0,
                s.seed(),
                s.lrSchedule());
        net.setLearningRate(lr);
        ctx.listener.onEvent(
                new TrainingEvent.Message(0, "fine-tuning " + what + " for " + epochs + " epoch(s), lr " + lr));
        ArrayDataSetIterator it = ctx.data.trainingIterator(s.batchSize(), s.seed() + 1, 0);
        return new Trainer(net, ft, ctx.listener, ctx.cancel)
                .fit(it, ctx.data.train().size(), null, null, TrainState.initial());
    }
}
