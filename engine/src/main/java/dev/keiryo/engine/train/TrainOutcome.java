package dev.keiryo.engine.train;

/** How a training run ended. */
public enum TrainOutcome {
    COMPLETED, STOPPED_EARLY, CANCELLED, DIVERGED
}
