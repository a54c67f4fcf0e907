package dev.keiryo.engine.job;

import dev.keiryo.engine.api.run.TrainResult;
import dev.keiryo.engine.experiment.Run;
import java.nio.file.Files;
import java.util.Optional;

/**
 * How far a run got once training was over, in {@code progress.json}: how training ended, how many
 * of the experiment's steps finished and the variant the next step starts from. A run stopped
 * during its steps resumes from here instead of training again, and redoes only the steps that did
 * not finish; steps run in order, so those are the ones after {@code stepsCompleted}.
 *
 * @param training how training ended (the state holds the epoch history for the summary)
 * @param stepsCompleted how many of the experiment's steps finished without being cancelled
 * @param latest the id of the variant a step without {@code from} starts from next
 */
record RunProgress(TrainResult training, int stepsCompleted, String latest) {
    static final String FILE = "progress.json";

    void write(Run run) {
        run.writeJson(FILE, this);
    }

    /** The recorded progress, or empty when training never finished (or the run predates this file). */
    static Optional<RunProgress> read(Run run) {
        if (!Files.isRegularFile(run.file(FILE))) {
            return Optional.empty();
        }
        return Optional.of(run.readJson(FILE, RunProgress.class));
    }
}
