package dev.keiryo.engine.api.run;

/** The end of a training run: how it ended, its state, and a sentence for the user when it did not complete. */
public record TrainResult(TrainOutcome outcome, TrainState state, String message) {}
