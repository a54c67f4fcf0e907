package dev.keiryo.engine.train;

import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.TrainingListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Trains one epoch of a {@link Trainer}: on one device with the trainer's own minibatch loop, or
 * across workers. The trainer keeps everything around it (validation, checkpoints, early stopping),
 * so single-device and data-parallel runs record the same events and state.
 */
public interface EpochRunner {

    /**
     * Trains over {@code train} (already reset to this epoch's order), emitting one
     * {@link TrainingEvent.Iteration} per minibatch, and returns early when {@code cancel} is set. A runner that
     * can hold between minibatches does so while {@code cancel} is paused (see {@link CancellationToken#pause()}).
     *
     * @param firstIteration the iteration count before this epoch
     * @param batches minibatches in the epoch, for the events' progress
     */
    EpochRun run(
            int epoch,
            long firstIteration,
            DataSetIterator train,
            int batches,
            TrainingListener listener,
            CancellationToken cancel);

    /**
     * What one epoch did. {@code stop} is null when the epoch ran to its end; otherwise it says why
     * training must stop now ({@code message} is then the sentence for the user, or null for the
     * trainer's default wording).
     */
    record EpochRun(long samples, double lossSum, int minibatches, long iterations, TrainOutcome stop, String message) {
        public static EpochRun stopped(TrainOutcome why, String message) {
            return new EpochRun(0, 0, 0, 0, why, message);
        }
    }
}
