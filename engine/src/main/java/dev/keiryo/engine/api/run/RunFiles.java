package dev.keiryo.engine.api.run;

/** The names of the files in a run folder that users and the front ends refer to. */
public final class RunFiles {
    private RunFiles() {}

    /** The experiment as run, every applied step included: {@code keiryo train <run>/experiment.yaml} replays it. */
    public static final String EXPERIMENT = "experiment.yaml";
}
