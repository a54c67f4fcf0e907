package dev.keiryo.engine.train;

/** What a training run reports as it goes; the CLI draws a progress bar or JSON lines from these. */
public sealed interface TrainingEvent {
    int epoch();

    /** One minibatch done. {@code samplesPerSecond} is over the epoch so far. */
    record Iteration(int epoch, long iteration, int batchInEpoch, int batchesPerEpoch, double loss, double samplesPerSecond)
            implements TrainingEvent {
    }

    /** An epoch done and evaluated on the validation set (NaN when there is none). */
    record Epoch(int epoch, double trainLoss, double validationAccuracy, double validationLoss, double seconds,
            double samplesPerSecond, boolean improved) implements TrainingEvent {
    }

    /** Something worth telling the user that is not a number. */
    record Message(int epoch, String text) implements TrainingEvent {
    }
}
