package dev.keiryo.engine.api.run;

/** Where run folders go, and the names of the files in a run folder that users and the front ends refer to. */
public final class RunFiles {
    private RunFiles() {}

    /** The folder holding the run folders unless told otherwise, relative to the working directory. */
    public static final java.nio.file.Path DEFAULT_ROOT = java.nio.file.Path.of("runs");

    /** The experiment as run, every applied step included: {@code keiryo train <run>/experiment.yaml} replays it. */
    public static final String EXPERIMENT = "experiment.yaml";
}
