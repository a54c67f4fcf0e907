package dev.keiryo.engine.api.engine;

import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.run.Variant;
import java.nio.file.Path;
import java.util.List;

/**
 * An earlier run as its folder holds it, read only.
 *
 * @param experiment the experiment as run, every applied step included
 * @param variants its variants, in the order they were made
 */
public record RunRecord(Path dir, Experiment experiment, List<Variant> variants) {
    public RunRecord {
        variants = List.copyOf(variants);
    }
}
