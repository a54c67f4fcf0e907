package dev.keiryo.engine.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.AtomicFiles;
import dev.keiryo.engine.api.run.TrainState;
import dev.keiryo.engine.experiment.Run;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelIO;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The run's last checkpoint: the model with its updater state and the training state in ONE file,
 * replaced atomically, so a process killed at any moment leaves a state that matches its weights.
 */
final class Checkpoints {
    static final String STATE_ENTRY = "keiryo-train-state.json";
    static final String BEST_ENTRY = "keiryo-best-params.bin";
    /** ND4J's array header (shape information, data type) is far below this. */
    private static final long HEADER_BYTES = 64 << 10;
    /** The training state is a few hundred bytes of JSON. */
    private static final long STATE_BYTES = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoints() {}

    static void save(Run run, KeiryoModel model, TrainState state, INDArray bestParams) {
        Path file = run.checkpoints().resolve(TrainJob.CHECKPOINT);
        try {
            Map<String, byte[]> extras = new HashMap<>();
            extras.put(STATE_ENTRY, JSON.writeValueAsBytes(state));
            if (bestParams != null) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                Nd4j.write(bestParams, new DataOutputStream(bytes));
                extras.put(BEST_ENTRY, bytes.toByteArray());
            }
            ModelIO.save(model, file, true, true, extras);
        } catch (IOException e) {
            throw AtomicFiles.failure(file, e);
        }
    }

    /**
     * The best epoch's weights saved with the checkpoint, or null when early stopping was off;
     * {@code params} is the checkpointed network's parameter count, which bounds what is read.
     */
    static INDArray readBest(Path checkpoint, long params) {
        try {
            byte[] best = ModelIO.readEntry(checkpoint, BEST_ENTRY, params * Double.BYTES + HEADER_BYTES);
            if (best == null) {
                return null;
            }
            INDArray read = Nd4j.read(new DataInputStream(new ByteArrayInputStream(best)));
            if (read.length() != params) {
                throw new IOException("its best weights hold " + read.length() + " values for a network of " + params);
            }
            return read;
        } catch (IOException | RuntimeException e) {
            throw new KeiryoException(
                    "checkpoint " + checkpoint + " is unreadable (" + e.getMessage()
                            + "); the run cannot be resumed, start it again.",
                    e);
        }
    }

    static TrainState readState(Path checkpoint) {
        try {
            byte[] state = ModelIO.readEntry(checkpoint, STATE_ENTRY, STATE_BYTES);
            if (state == null) {
                throw new KeiryoException("checkpoint " + checkpoint + " has no training state; it was not written by"
                        + " 'keiryo train', so the run cannot be resumed: start it again.");
            }
            return JSON.readValue(state, TrainState.class);
        } catch (IOException e) {
            throw new KeiryoException(
                    "checkpoint " + checkpoint + " is unreadable (" + e.getMessage()
                            + "); the run cannot be resumed, start it again.",
                    e);
        }
    }
}
