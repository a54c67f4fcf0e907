package dev.keiryo.engine.cli;

/** Exit codes scripts can rely on; documented in docs/command-line.md. */
public final class ExitCode {
    public static final int OK = 0;
    /** A bug or an unexpected failure: the message and a stack trace (with --verbose) say more. */
    public static final int INTERNAL = 1;
    /** Bad input: a flag, an experiment file, a data or model file. The message says what to fix. */
    public static final int BAD_INPUT = 2;
    /** Training ran but failed, e.g. the loss became NaN. The run folder is marked failed. */
    public static final int TRAINING_FAILED = 3;
    /**
     * Cancelled (Ctrl-C): the run folder is marked cancelled and keeps its last checkpoint. A
     * SIGTERM ends the same way with the JVM's 143 (128 + 15), which a shutdown hook cannot change.
     */
    public static final int CANCELLED = 130;

    private ExitCode() {}
}
