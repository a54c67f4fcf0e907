package dev.keiryo.engine.api.run;

/** Receives training events on the training thread; implementations must return quickly. */
@FunctionalInterface
public interface TrainingListener {
    TrainingListener NONE = e -> {};

    void onEvent(TrainingEvent event);
}
