package dev.keiryo.engine.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.KeiryoException;
import dev.keiryo.engine.experiment.Run;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelIO;
import dev.keiryo.engine.train.TrainState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The run's last checkpoint: the model with its updater state and the training state in ONE file,
 * replaced atomically, so a process killed at any moment leaves a state that matches its weights.
 */
final class Checkpoints {
    static final String STATE_ENTRY = "keiryo-train-state.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoints() {
    }

    static void save(Run run, KeiryoModel model, TrainState state) {
        Path file = run.checkpoints().resolve(TrainJob.CHECKPOINT);
        try {
            ModelIO.save(model, file, true, true, Map.of(STATE_ENTRY, JSON.writeValueAsBytes(state)));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a checkpoint in " + run.checkpoints(), e);
        }
    }

    static TrainState readState(Path checkpoint) {
        try {
            byte[] state = ModelIO.readEntry(checkpoint, STATE_ENTRY);
            if (state == null) {
                throw new KeiryoException("checkpoint " + checkpoint + " has no training state; it was not written by"
                        + " 'keiryo train', so the run cannot be resumed: start it again.");
            }
            return JSON.readValue(state, TrainState.class);
        } catch (IOException e) {
            throw new KeiryoException("checkpoint " + checkpoint + " is unreadable (" + e.getMessage()
                    + "); the run cannot be resumed, start it again.", e);
        }
    }
}
