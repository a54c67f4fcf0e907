package dev.keiryo.engine.train.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainResult;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.train.ParallelSettings;
import dev.keiryo.engine.train.TrainSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Two CPU workers on the bundled sample, synchronous and asynchronous, under a watchdog. */
class ParallelEpochsTest {
    private static final Duration GUARD = Duration.ofMinutes(4);

    @Test
    void syncWithTwoWorkersEndsWithinTwoPointsOfSingleDeviceAtEqualEpochs() {
        TrainSettings s = SampleRuns.settings(6);
        ComputationGraph single = SampleRuns.net(s);
        ComputationGraph sync = SampleRuns.net(s);
        List<TrainingEvent> events = new ArrayList<>();

        TrainResult a = SampleRuns.fit(single, s, null, SampleRuns.train(Integer.MAX_VALUE), null, null);
        TrainResult b = assertTimeoutPreemptively(
                GUARD,
                () -> SampleRuns.fit(
                        sync, s, ParallelSettings.sync(2, 1), SampleRuns.train(Integer.MAX_VALUE), events::add, null));

        assertEquals(TrainOutcome.COMPLETED, a.outcome());
        assertEquals(TrainOutcome.COMPLETED, b.outcome(), b.message());
        double accSingle = SampleRuns.testAccuracy(single);
        double accSync = SampleRuns.testAccuracy(sync);
        System.out.println("PARALLEL-TEST single " + accSingle + " sync " + accSync);
        assertTrue(accSingle > 0.75, "single-device sanity: " + accSingle);
        assertTrue(Math.abs(accSingle - accSync) <= 0.02, "single " + accSingle + " vs sync " + accSync);
        assertEquals(6, b.state().epochsCompleted());
        long its = events.stream()
                .filter(e -> e instanceof TrainingEvent.Iteration)
                .count();
        assertEquals(b.state().iterations(), its, "one event per worker minibatch");
        assertEquals(6 * 157, its, "5,000 examples in batches of 32, every epoch, shared by the workers");
        assertEquals(
                6, events.stream().filter(e -> e instanceof TrainingEvent.Epoch).count());
    }

    @Test
    void asyncNeverHangsOverSeveralEpochs() {
        TrainSettings s = SampleRuns.settings(4);
        ComputationGraph net = SampleRuns.net(s);
        INDArray before = net.params().dup();
        ParallelSettings async = ParallelSettings.async(2).withStallSeconds(30);

        TrainResult r = assertTimeoutPreemptively(
                GUARD, () -> SampleRuns.fit(net, s, async, SampleRuns.train(1500), null, null));

        // A hang the watchdog caught is reported, not waited on: either way Keiryo returns.
        assertTrue(
                Set.of(TrainOutcome.COMPLETED, TrainOutcome.STALLED).contains(r.outcome()),
                r.outcome() + ": " + r.message());
        if (r.outcome() == TrainOutcome.COMPLETED) {
            assertEquals(4, r.state().epochsCompleted());
            assertNotEquals(before, net.params());
            assertTrue(SampleRuns.testAccuracy(net) > 0.5, "async learns something");
        } else {
            assertTrue(r.message().contains("finished no minibatch"), r.message());
        }
    }

    @Test
    void cancellingStopsAParallelEpochAtTheNextMinibatch() {
        TrainSettings s = SampleRuns.settings(3);
        ComputationGraph net = SampleRuns.net(s);
        CancellationToken token = new CancellationToken();
        List<Long> iterations = new ArrayList<>();

        TrainResult r = assertTimeoutPreemptively(
                GUARD,
                () -> SampleRuns.fit(
                        net,
                        s,
                        ParallelSettings.sync(2, 1),
                        SampleRuns.train(Integer.MAX_VALUE),
                        e -> {
                            if (e instanceof TrainingEvent.Iteration it) {
                                iterations.add(it.iteration());
                                if (it.iteration() == 20) {
                                    token.cancel();
                                }
                            }
                        },
                        token));

        assertEquals(TrainOutcome.CANCELLED, r.outcome());
        assertEquals(0, r.state().epochsCompleted());
        assertTrue(
                iterations.size() < 157, "stopped within the first epoch, after " + iterations.size() + " minibatches");
    }
}
