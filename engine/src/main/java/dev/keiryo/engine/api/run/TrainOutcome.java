package dev.keiryo.engine.api.run;

/** How a training run ended. */
public enum TrainOutcome {
    COMPLETED,
    STOPPED_EARLY,
    CANCELLED,
    DIVERGED,
    /** Data-parallel workers made no progress for too long and were abandoned (see the train.stallSeconds setting). */
    STALLED
}
