package dev.keiryo.engine.job;

import java.nio.file.Path;

/** What a checkpoint holds, for tests outside this package. */
public final class CheckpointsProbe {
    private CheckpointsProbe() {}

    /** The epochs the checkpoint's training state had completed. */
    public static int epochs(Path checkpoint) {
        return Checkpoints.readState(checkpoint).epochsCompleted();
    }
}
