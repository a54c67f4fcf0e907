package dev.keiryo.engine.train;

import dev.keiryo.engine.api.experiment.TrainSpec;
import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.EpochRecord;
import dev.keiryo.engine.api.run.EvalResult;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainResult;
import dev.keiryo.engine.api.run.TrainState;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.TrainingListener;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Training epoch by epoch: validation, checkpoints, early stopping and the events around epochs
 * that an {@link EpochRunner} trains, by default on one device with Keiryo's own minibatch loop.
 * The iterator decides the order of examples; the trainer calls {@code reset()} before every epoch.
 */
public final class Trainer {
    private final ComputationGraph net;
    private final TrainSettings settings;
    private final TrainingListener listener;
    private final CancellationToken cancel;
    private final EpochRunner epochs;

    public Trainer(ComputationGraph net, TrainSettings settings, TrainingListener listener, CancellationToken cancel) {
        this(net, settings, listener, cancel, new SingleDeviceEpochs(net));
    }

    /** Training whose epochs {@code epochs} runs, e.g. across data-parallel workers. */
    public Trainer(
            ComputationGraph net,
            TrainSettings settings,
            TrainingListener listener,
            CancellationToken cancel,
            EpochRunner epochs) {
        this.net = net;
        this.settings = settings;
        this.listener = listener == null ? TrainingListener.NONE : listener;
        this.cancel = cancel == null ? new CancellationToken() : cancel;
        this.epochs = epochs;
    }

    /**
     * Trains from {@code state} (the initial state, or a checkpoint's) up to {@code settings.epochs()}.
     * With early stopping on, the network ends with the weights of its best validation epoch.
     */
    public TrainResult fit(
            DataSetIterator train,
            long examplesPerEpoch,
            Validator validator,
            Checkpointer checkpointer,
            TrainState state) {
        return fit(train, examplesPerEpoch, validator, checkpointer, state, null);
    }

    /** As above, resuming with the best epoch's weights from a checkpoint (null if none). */
    public TrainResult fit(
            DataSetIterator train,
            long examplesPerEpoch,
            Validator validator,
            Checkpointer checkpointer,
            TrainState state,
            INDArray bestParams) {
        Checkpointer cp = checkpointer == null ? Checkpointer.NONE : checkpointer;
        long iteration = state.iterations();
        INDArray best = bestParams;
        int batches = Math.max(1, (int) Math.ceil((double) examplesPerEpoch / train.batch()));
        // A run resumed after epoch k starts from the checkpoint of epoch k.
        int checkpointed = state.epochsCompleted();
        for (int epoch = state.epochsCompleted() + 1; epoch <= settings.epochs(); epoch++) {
            train.reset();
            if (settings.lrSchedule() != TrainSpec.LrSchedule.CONSTANT) {
                net.setLearningRate(settings.learningRateAt(epoch));
            }
            long start = System.nanoTime();
            long heldBefore = cancel.heldNanos();
            EpochRunner.EpochRun run = epochs.run(epoch, iteration, train, batches, listener, cancel);
            if (run.stop() == TrainOutcome.CANCELLED) {
                return new TrainResult(
                        TrainOutcome.CANCELLED,
                        state,
                        "cancelled during epoch " + epoch + "; the last checkpoint holds epoch "
                                + state.epochsCompleted() + ".");
            }
            if (run.stop() == TrainOutcome.DIVERGED) {
                return diverged(run.message(), state, checkpointed);
            }
            if (run.stop() != null) {
                return new TrainResult(run.stop(), state, run.message());
            }
            if (run.stop() == null && !finite(net.params())) {
                // The loss of a minibatch is computed before its update, so the epoch's last update
                // can break the weights unseen; they must not reach a checkpoint or the model file.
                return diverged(
                        "training diverged at the end of epoch " + epoch
                                + " (its last update left weights that are NaN or infinite)",
                        state,
                        checkpointed);
            }
            iteration += run.iterations();
            long samples = run.samples();
            double lossSum = run.lossSum();
            int batch = run.minibatches();
            // A pause is not training time: leaving it in would show a slow epoch that was not.
            double seconds = (System.nanoTime() - start - (cancel.heldNanos() - heldBefore)) / 1e9;
            net.incrementEpochCount();
            EvalResult val = validator == null ? null : validator.evaluate(net);
            double acc = val == null ? Double.NaN : val.accuracy();
            boolean improved = val != null && acc > state.bestValidationAccuracy();
            EpochRecord rec = new EpochRecord(
                    epoch,
                    lossSum / Math.max(1, batch),
                    acc,
                    val == null ? Double.NaN : val.loss(),
                    seconds,
                    samples / seconds);
            state = state.after(rec, iteration, improved);
            listener.onEvent(new TrainingEvent.Epoch(
                    epoch,
                    settings.epochs(),
                    rec.trainLoss(),
                    acc,
                    rec.validationLoss(),
                    seconds,
                    rec.samplesPerSecond(),
                    improved));
            if (settings.earlyStoppingPatience() > 0 && improved) {
                best = net.params().dup();
            }
            if (settings.checkpointEveryEpochs() > 0
                    && (epoch % settings.checkpointEveryEpochs() == 0 || epoch == settings.epochs())) {
                cp.save(net, state, best);
                checkpointed = epoch;
            }
            if (settings.earlyStoppingPatience() > 0
                    && state.epochsWithoutImprovement() >= settings.earlyStoppingPatience()
                    && epoch < settings.epochs()) {
                restoreBest(best, state);
                return new TrainResult(
                        TrainOutcome.STOPPED_EARLY,
                        state,
                        "stopped early after epoch " + epoch + ": no validation" + " improvement for "
                                + settings.earlyStoppingPatience() + " epochs; kept epoch " + state.bestEpoch() + ".");
            }
        }
        restoreBest(best, state);
        return new TrainResult(TrainOutcome.COMPLETED, state, null);
    }

    private TrainResult diverged(String what, TrainState state, int checkpointed) {
        return new TrainResult(
                TrainOutcome.DIVERGED,
                state,
                what + "; lower train.learningRate (now " + settings.learningRate() + ")"
                        + (settings.dataType() == TrainSettings.HALF ? " or train in float" : "")
                        + " or check the data for extreme values"
                        + (checkpointed > 0 ? "; the checkpoint of epoch " + checkpointed + " is kept" : "")
                        + ".");
    }

    private static boolean finite(INDArray params) {
        return !BooleanIndexing.or(params, Conditions.isNan()) && !BooleanIndexing.or(params, Conditions.isInfinite());
    }

    private void restoreBest(INDArray best, TrainState state) {
        if (best != null && state.bestEpoch() != state.epochsCompleted()) {
            net.setParams(best);
            listener.onEvent(new TrainingEvent.Message(
                    state.epochsCompleted(),
                    "restored the weights of epoch " + state.bestEpoch() + " (best validation accuracy)"));
        }
    }
}
