package dev.keiryo.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainResult;
import dev.keiryo.engine.api.run.TrainState;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Pausing holds the trainer's own loop between minibatches without ending the run: nothing trains
 * while held, continuing ends where an unpaused run with the same seed ends, the held time stays out
 * of samples/s and epoch seconds, and a stop while held stops cleanly.
 */
class TrainerPauseTest {
    private static final int EXAMPLES = 256;
    private static final int PAUSE_AFTER = 3;
    private static final long HOLD_MILLIS = 300;

    private static Dataset blobs() {
        return TrainerTest.blobs();
    }

    private static final TrainSettings SETTINGS =
            new TrainSettings(Updaters.ADAM, 1e-2, 32, 2, DataType.FLOAT, 0, 0, 1, 11);

    private static ComputationGraph net() {
        return ModelFactory.build(
                new Architecture(ArchitecturePreset.MLP, 1.0, List.of(16), 0), InputShape.flat(4), 3, SETTINGS);
    }

    private static ArrayDataSetIterator iterator() {
        return ArrayDataSetIterator.builder(blobs()).batchSize(32).seed(5).build();
    }

    private static PausedRun pausedRun(ComputationGraph net) {
        return new PausedRun(
                PAUSE_AFTER,
                (listener, token) -> new Trainer(net, SETTINGS, listener, token)
                        .fit(iterator(), EXAMPLES, null, null, TrainState.initial()));
    }

    @Test
    void aPausedRunHoldsBetweenMinibatchesThenContinuesToTheSameWeightsAsAnUnpausedOne() throws Exception {
        ComputationGraph plain = net();
        TrainResult unpaused =
                new Trainer(plain, SETTINGS, null, null).fit(iterator(), EXAMPLES, null, null, TrainState.initial());

        ComputationGraph net = net();
        PausedRun run = pausedRun(net);
        run.startAndWaitUntilHeld();
        Thread.sleep(HOLD_MILLIS);
        assertEquals(PAUSE_AFTER, run.all(TrainingEvent.Iteration.class).size(), "no minibatch trains while paused");
        assertEquals(Thread.State.WAITING, run.thread().getState(), "the training thread waits, it does not spin");
        assertTrue(run.result() == null, "the run has not ended");
        run.token.unpause();
        run.join();

        TrainResult r = run.result();
        assertEquals(TrainOutcome.COMPLETED, r.outcome(), r.message());
        assertEquals(unpaused.state().iterations(), r.state().iterations());
        assertEquals(plain.params(), net.params(), "same seed, same weights, paused or not");
        assertEquals(
                List.of(
                        new TrainingEvent.Pause(1, PAUSE_AFTER, 8, true),
                        new TrainingEvent.Pause(1, PAUSE_AFTER, 8, false)),
                run.all(TrainingEvent.Pause.class));

        run.assertHeldTimeLeftOut(TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS), 32);
    }

    @Test
    void stoppingWhileHeldStopsCleanly() throws Exception {
        PausedRun run = pausedRun(net());
        run.startAndWaitUntilHeld();
        run.token.cancel();
        run.join();

        TrainResult r = run.result();
        assertEquals(TrainOutcome.CANCELLED, r.outcome());
        assertEquals(0, r.state().epochsCompleted(), "the run keeps the state of its last whole epoch");
        assertEquals(PAUSE_AFTER, run.all(TrainingEvent.Iteration.class).size(), "no minibatch after the stop");
        assertEquals(
                List.of(new TrainingEvent.Pause(1, PAUSE_AFTER, 8, true)),
                run.all(TrainingEvent.Pause.class),
                "a stop is not a continue");
        assertTrue(run.token.isPaused(), "the token is still paused: it was the stop that ended the hold");
    }
}
