package dev.keiryo.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelSpec;
import dev.keiryo.engine.model.Preset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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

    private static final TrainSettings SETTINGS = new TrainSettings(Optimizer.ADAM, 1e-2, 32, 2, DataType.FLOAT, 0, 0, 1, 11);

    private static MultiLayerNetwork net() {
        return ModelFactory.build(new ModelSpec(Preset.MLP, 1.0, List.of(16), 0), InputShape.flat(4), 3, SETTINGS);
    }

    private static ArrayDataSetIterator iterator() {
        return ArrayDataSetIterator.builder(blobs()).batchSize(32).seed(5).build();
    }

    /** Training on its own thread whose listener pauses the token after minibatch {@link #PAUSE_AFTER}. */
    private static final class PausedRun {
        final MultiLayerNetwork net = net();
        final CancellationToken token = new CancellationToken();
        final List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        final CountDownLatch holding = new CountDownLatch(1);
        final AtomicReference<TrainResult> result = new AtomicReference<>();
        final Thread thread = new Thread(() -> result.set(new Trainer(net, SETTINGS, this::onEvent, token)
                .fit(iterator(), EXAMPLES, null, null, TrainState.initial())), "paused-training");
        long started;
        long ended;

        private void onEvent(TrainingEvent e) {
            events.add(e);
            if (e instanceof TrainingEvent.Iteration it && it.iteration() == PAUSE_AFTER) {
                token.pause();
            }
            if (e instanceof TrainingEvent.Pause p && p.holding()) {
                holding.countDown();
            }
        }

        void startAndWaitUntilHeld() throws InterruptedException {
            started = System.nanoTime();
            thread.start();
            assertTrue(holding.await(120, TimeUnit.SECONDS), "training holds after minibatch " + PAUSE_AFTER);
        }

        void join() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(120));
            ended = System.nanoTime();
            assertFalse(thread.isAlive(), "training ended");
        }

        <T extends TrainingEvent> List<T> all(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    @Test
    void aPausedRunHoldsBetweenMinibatchesThenContinuesToTheSameWeightsAsAnUnpausedOne() throws Exception {
        MultiLayerNetwork plain = net();
        TrainResult unpaused = new Trainer(plain, SETTINGS, null, null).fit(iterator(), EXAMPLES, null, null, TrainState.initial());

        PausedRun run = new PausedRun();
        run.startAndWaitUntilHeld();
        Thread.sleep(HOLD_MILLIS);
        assertEquals(PAUSE_AFTER, run.all(TrainingEvent.Iteration.class).size(), "no minibatch trains while paused");
        assertEquals(Thread.State.WAITING, run.thread.getState(), "the training thread waits, it does not spin");
        assertTrue(run.result.get() == null, "the run has not ended");
        run.token.unpause();
        run.join();

        TrainResult r = run.result.get();
        assertEquals(TrainOutcome.COMPLETED, r.outcome(), r.message());
        assertEquals(unpaused.state().iterations(), r.state().iterations());
        assertEquals(plain.params(), run.net.params(), "same seed, same weights, paused or not");
        assertEquals(List.of(new TrainingEvent.Pause(1, PAUSE_AFTER, 8, true), new TrainingEvent.Pause(1, PAUSE_AFTER, 8, false)),
                run.all(TrainingEvent.Pause.class));

        long held = run.token.heldNanos();
        assertTrue(held >= TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS), "held " + held + " ns");
        long wall = run.ended - run.started;
        // Both spans lie inside the wall time, so counting the hold in them as well would overshoot it.
        TrainingEvent.Epoch first = run.all(TrainingEvent.Epoch.class).get(0);
        assertTrue(first.seconds() * 1e9 + held <= wall, "epoch 1's seconds leave the hold out: " + first.seconds() + " s");
        TrainingEvent.Iteration after = run.all(TrainingEvent.Iteration.class).get(PAUSE_AFTER);
        double activeNanos = 32.0 * after.batchInEpoch() / after.samplesPerSecond() * 1e9;
        assertTrue(activeNanos + held <= wall, "samples/s after the pause leaves the hold out: " + after.samplesPerSecond());
    }

    @Test
    void stoppingWhileHeldStopsCleanly() throws Exception {
        PausedRun run = new PausedRun();
        run.startAndWaitUntilHeld();
        run.token.cancel();
        run.join();

        TrainResult r = run.result.get();
        assertEquals(TrainOutcome.CANCELLED, r.outcome());
        assertEquals(0, r.state().epochsCompleted(), "the run keeps the state of its last whole epoch");
        assertEquals(PAUSE_AFTER, run.all(TrainingEvent.Iteration.class).size(), "no minibatch after the stop");
        assertEquals(List.of(new TrainingEvent.Pause(1, PAUSE_AFTER, 8, true)), run.all(TrainingEvent.Pause.class),
                "a stop is not a continue");
        assertTrue(run.token.isPaused(), "the token is still paused: it was the stop that ended the hold");
    }
}
