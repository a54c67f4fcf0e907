package dev.keiryo.engine.api.run;

/** One finished epoch, as kept in the training state and written to the run. */
public record EpochRecord(
        int epoch,
        double trainLoss,
        double validationAccuracy,
        double validationLoss,
        double seconds,
        double samplesPerSecond) {}
