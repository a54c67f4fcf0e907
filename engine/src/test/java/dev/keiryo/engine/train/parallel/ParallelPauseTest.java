package dev.keiryo.engine.train.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainResult;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.train.ParallelMode;
import dev.keiryo.engine.train.ParallelSettings;
import dev.keiryo.engine.train.PausedRun;
import dev.keiryo.engine.train.TrainSettings;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pausing a data-parallel epoch holds its feed between rounds: the two workers idle, a hold longer
 * than the hang watchdog's limit is not taken for a hang, the epoch then trains every example once,
 * the held time stays out of samples/s, and a stop while held ends the run cleanly.
 */
class ParallelPauseTest {
    private static final int EXAMPLES = 1500;
    private static final int BATCHES = 47;
    private static final int WORKERS = 2;
    private static final long PAUSE_AFTER = 10;
    // Long enough that two workers on a loaded two-core machine still finish a minibatch in time.
    private static final int STALL_SECONDS = 4;
    private static final long HOLD_MILLIS = TimeUnit.SECONDS.toMillis(STALL_SECONDS) + 1000;

    /** {@code prefetch} 0: ParallelWrapper's fit thread reads the training set itself; otherwise a prefetch thread does. */
    private static PausedRun pausedRun(ParallelMode mode, int prefetch) {
        ParallelSettings parallel = (mode == ParallelMode.SYNC
                        ? ParallelSettings.sync(WORKERS, 1)
                        : ParallelSettings.async(WORKERS))
                .withStallSeconds(STALL_SECONDS)
                .withPrefetch(prefetch);
        TrainSettings s = SampleRuns.settings(1);
        MultiLayerNetwork net = SampleRuns.net(s);
        ArrayDataSetIterator it = SampleRuns.train(EXAMPLES);
        return new PausedRun(PAUSE_AFTER, (listener, token) -> SampleRuns.fit(net, s, parallel, it, listener, token));
    }

    @ParameterizedTest
    @CsvSource({"SYNC, 2", "ASYNC, 2", "SYNC, 0"})
    void aPauseLongerThanTheWatchdogsLimitHoldsTheWorkersThenTheEpochTrainsEveryExample(ParallelMode mode, int prefetch)
            throws Exception {
        PausedRun run = pausedRun(mode, prefetch);
        run.startAndWaitUntilHeld();
        int held = run.all(TrainingEvent.Iteration.class).size();
        Thread.sleep(HOLD_MILLIS);
        assertEquals(held, run.all(TrainingEvent.Iteration.class).size(), "no minibatch trains while paused");
        assertNull(run.result(), "the run has not ended, nor has the watchdog given up on it");
        run.token.unpause();
        run.join();

        TrainResult r = run.result();
        assertEquals(TrainOutcome.COMPLETED, r.outcome(), r.message());
        assertTrue(held >= PAUSE_AFTER && held % WORKERS == 0, "held after a whole round, at minibatch " + held);
        assertEquals(
                List.of(
                        new TrainingEvent.Pause(1, held, BATCHES, true),
                        new TrainingEvent.Pause(1, held, BATCHES, false)),
                run.all(TrainingEvent.Pause.class));
        List<TrainingEvent> events = run.events();
        int holding = events.indexOf(new TrainingEvent.Pause(1, held, BATCHES, true));
        assertEquals(
                new TrainingEvent.Pause(1, held, BATCHES, false),
                events.get(holding + 1),
                "nothing happens in between");
        assertEquals(BATCHES, run.all(TrainingEvent.Iteration.class).size(), "every minibatch once");
        assertEquals(BATCHES, r.state().iterations());
        TrainingEvent.Epoch epoch = run.all(TrainingEvent.Epoch.class).get(0);
        assertEquals(EXAMPLES, epoch.samplesPerSecond() * epoch.seconds(), 1e-6 * EXAMPLES, "every example once");
        run.assertHeldTimeLeftOut(TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS), 32);
    }

    @ParameterizedTest
    @CsvSource({"SYNC, 2", "ASYNC, 0"})
    void stoppingWhileHeldEndsTheRunCleanly(ParallelMode mode, int prefetch) throws Exception {
        PausedRun run = pausedRun(mode, prefetch);
        run.startAndWaitUntilHeld();
        int held = run.all(TrainingEvent.Iteration.class).size();
        run.token.cancel();
        run.join();

        TrainResult r = run.result();
        assertEquals(TrainOutcome.CANCELLED, r.outcome(), r.message());
        assertEquals(0, r.state().epochsCompleted(), "the run keeps the state of its last whole epoch");
        assertEquals(held, run.all(TrainingEvent.Iteration.class).size(), "no minibatch after the stop");
        assertEquals(
                List.of(new TrainingEvent.Pause(1, held, BATCHES, true)),
                run.all(TrainingEvent.Pause.class),
                "a stop is not a continue");
    }
}
