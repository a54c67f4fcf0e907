package dev.keiryo.engine.compress.prune.connection;

/** Told about each finished pruning step, on the pruning thread; must return quickly. */
@FunctionalInterface
public interface PruneStepListener {
    PruneStepListener NONE = s -> {};

    void onStep(PruneStep step);
}
