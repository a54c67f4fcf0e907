package dev.keiryo.engine.train;

import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.TrainingListener;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * One device, one minibatch at a time, because DL4J's {@code fit(iterator)} can be neither cancelled,
 * paused nor checked for divergence between minibatches.
 */
final class SingleDeviceEpochs implements EpochRunner {
    private final ComputationGraph net;

    SingleDeviceEpochs(ComputationGraph net) {
        this.net = net;
    }

    @Override
    public EpochRun run(
            int epoch,
            long firstIteration,
            DataSetIterator train,
            int batches,
            TrainingListener listener,
            CancellationToken cancel) {
        long start = System.nanoTime();
        long iteration = firstIteration;
        long samples = 0;
        double lossSum = 0;
        int batch = 0;
        long held = 0;
        OpThreads.Scope tuning = null;
        TrainingStep step = null;
        try {
            while (train.hasNext()) {
                if (cancel.isPaused() && !cancel.isCancelled()) {
                    listener.onEvent(new TrainingEvent.Pause(epoch, batch, batches, true));
                    held += cancel.holdWhilePaused();
                    if (!cancel.isCancelled()) {
                        listener.onEvent(new TrainingEvent.Pause(epoch, batch, batches, false));
                    }
                }
                if (cancel.isCancelled()) {
                    return EpochRun.stopped(TrainOutcome.CANCELLED, null);
                }
                DataSet ds = train.next();
                if (tuning == null) {
                    step = TrainingStep.of(net);
                    tuning = TrainingTuning.apply(net, ds.getFeatures(), step);
                }
                double loss = step.fit(ds);
                iteration++;
                batch++;
                if (!Double.isFinite(loss)) {
                    return new EpochRun(
                            samples,
                            lossSum,
                            batch,
                            iteration - firstIteration,
                            TrainOutcome.DIVERGED,
                            "training diverged at epoch " + epoch + ", iteration " + iteration + " (loss = " + loss
                                    + ")");
                }
                samples += ds.numExamples();
                lossSum += loss;
                double seconds = (System.nanoTime() - start - held) / 1e9;
                listener.onEvent(
                        new TrainingEvent.Iteration(epoch, iteration, batch, batches, loss, samples / seconds));
            }
            return new EpochRun(samples, lossSum, batch, iteration - firstIteration, null, null);
        } finally {
            if (tuning != null) {
                tuning.close();
            }
        }
    }
}
