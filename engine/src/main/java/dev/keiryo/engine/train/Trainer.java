package dev.keiryo.engine.train;

import dev.keiryo.engine.eval.EvalResult;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Single-device training with its own minibatch loop, because DL4J's {@code fit(iterator)} can be
 * neither cancelled nor checked for divergence between minibatches. The iterator decides the order
 * of examples; the trainer calls {@code reset()} before every epoch.
 */
public final class Trainer {
    private final MultiLayerNetwork net;
    private final TrainSettings settings;
    private final TrainingListener listener;
    private final CancellationToken cancel;

    public Trainer(MultiLayerNetwork net, TrainSettings settings, TrainingListener listener, CancellationToken cancel) {
        this.net = net;
        this.settings = settings;
        this.listener = listener == null ? TrainingListener.NONE : listener;
        this.cancel = cancel == null ? new CancellationToken() : cancel;
    }

    /**
     * Trains from {@code state} (the initial state, or a checkpoint's) up to {@code settings.epochs()}.
     * With early stopping on, the network ends with the weights of its best validation epoch.
     */
    public TrainResult fit(DataSetIterator train, long examplesPerEpoch, Validator validator, Checkpointer checkpointer,
            TrainState state) {
        return fit(train, examplesPerEpoch, validator, checkpointer, state, null);
    }

    /** As above, resuming with the best epoch's weights from a checkpoint (null if none). */
    public TrainResult fit(DataSetIterator train, long examplesPerEpoch, Validator validator, Checkpointer checkpointer,
            TrainState state, INDArray bestParams) {
        Checkpointer cp = checkpointer == null ? Checkpointer.NONE : checkpointer;
        long iteration = state.iterations();
        INDArray best = bestParams;
        int batches = Math.max(1, (int) Math.ceil((double) examplesPerEpoch / train.batch()));
        for (int epoch = state.epochsCompleted() + 1; epoch <= settings.epochs(); epoch++) {
            train.reset();
            long start = System.nanoTime();
            long samples = 0;
            double lossSum = 0;
            int batch = 0;
            while (train.hasNext()) {
                if (cancel.isCancelled()) {
                    return new TrainResult(TrainOutcome.CANCELLED, state, "cancelled during epoch " + epoch
                            + "; the last checkpoint holds epoch " + state.epochsCompleted() + ".");
                }
                DataSet ds = train.next();
                net.fit(ds);
                double loss = net.score();
                iteration++;
                batch++;
                if (!Double.isFinite(loss)) {
                    return new TrainResult(TrainOutcome.DIVERGED, state, "training diverged at epoch " + epoch
                            + ", iteration " + iteration + " (loss = " + loss + "); lower train.learningRate (now "
                            + settings.learningRate() + ")" + (settings.dataType() == org.nd4j.linalg.api.buffer.DataType.HALF
                            ? " or train in float" : "") + ".");
                }
                samples += ds.numExamples();
                lossSum += loss;
                double seconds = (System.nanoTime() - start) / 1e9;
                listener.onEvent(new TrainingEvent.Iteration(epoch, iteration, batch, batches, loss, samples / seconds));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            net.incrementEpochCount();
            EvalResult val = validator == null ? null : validator.evaluate(net);
            double acc = val == null ? Double.NaN : val.accuracy();
            boolean improved = val != null && acc > state.bestValidationAccuracy();
            EpochRecord rec = new EpochRecord(epoch, lossSum / Math.max(1, batch), acc, val == null ? Double.NaN : val.loss(),
                    seconds, samples / seconds);
            state = state.after(rec, iteration, improved);
            listener.onEvent(new TrainingEvent.Epoch(epoch, rec.trainLoss(), acc, rec.validationLoss(), seconds,
                    rec.samplesPerSecond(), improved));
            if (settings.earlyStoppingPatience() > 0 && improved) {
                best = net.params().dup();
            }
            if (settings.checkpointEveryEpochs() > 0 && (epoch % settings.checkpointEveryEpochs() == 0 || epoch == settings.epochs())) {
                cp.save(net, state, best);
            }
            if (settings.earlyStoppingPatience() > 0 && state.epochsWithoutImprovement() >= settings.earlyStoppingPatience()
                    && epoch < settings.epochs()) {
                restoreBest(best, state);
                return new TrainResult(TrainOutcome.STOPPED_EARLY, state, "stopped early after epoch " + epoch + ": no validation"
                        + " improvement for " + settings.earlyStoppingPatience() + " epochs; kept epoch " + state.bestEpoch() + ".");
            }
        }
        restoreBest(best, state);
        return new TrainResult(TrainOutcome.COMPLETED, state, null);
    }

    private void restoreBest(INDArray best, TrainState state) {
        if (best != null && state.bestEpoch() != state.epochsCompleted()) {
            net.setParams(best);
            listener.onEvent(new TrainingEvent.Message(state.epochsCompleted(),
                    "restored the weights of epoch " + state.bestEpoch() + " (best validation accuracy)"));
        }
    }
}
