package dev.keiryo.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainResult;
import dev.keiryo.engine.api.run.TrainState;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** A run whose numbers go bad stops with a sentence, and only good weights reach a checkpoint. */
class DivergenceTest {
    private final TrainSettings settings = new TrainSettings(Updaters.ADAM, 1e-2, 32, 3, DataType.FLOAT, 0, 0, 1, 11);
    private final ComputationGraph net = ModelFactory.build(
            new Architecture(ArchitecturePreset.MLP, 1.0, List.of(16), 0), InputShape.flat(4), 3, settings);
    private final List<Integer> checkpoints = new ArrayList<>();

    private TrainResult fit(EpochRunner epochs) {
        Dataset d = TrainerTest.blobs();
        ArrayDataSetIterator it =
                ArrayDataSetIterator.builder(d).batchSize(32).seed(5).build();
        return new Trainer(net, settings, null, null, epochs)
                .fit(
                        it,
                        d.size(),
                        null,
                        (n, s, b) -> {
                            assertTrue(
                                    !Double.isNaN(n.params().sumNumber().doubleValue()),
                                    "a checkpoint with NaN weights");
                            checkpoints.add(s.epochsCompleted());
                        },
                        TrainState.initial());
    }

    @Test
    void aNonFiniteLossStopsTheRunAndSaysWhichCheckpointIsKept() {
        SingleDeviceEpochs real = new SingleDeviceEpochs(net);
        TrainResult r = fit((epoch, first, train, batches, listener, cancel) -> epoch < 2
                ? real.run(epoch, first, train, batches, listener, cancel)
                : new EpochRunner.EpochRun(
                        0, 0, 3, 3, TrainOutcome.DIVERGED, "training diverged at epoch 2, iteration 11 (loss = NaN)"));

        assertEquals(TrainOutcome.DIVERGED, r.outcome());
        assertEquals(List.of(1), checkpoints);
        assertEquals(1, r.state().epochsCompleted());
        assertTrue(
                r.message()
                        .startsWith("training diverged at epoch 2, iteration 11 (loss = NaN); lower"
                                + " train.learningRate (now 0.01)"),
                r.message());
        assertTrue(r.message().endsWith("; the checkpoint of epoch 1 is kept."), r.message());
    }

    @Test
    void weightsBrokenByAnEpochsLastUpdateNeverReachACheckpoint() {
        SingleDeviceEpochs real = new SingleDeviceEpochs(net);
        TrainResult r = fit((epoch, first, train, batches, listener, cancel) -> {
            EpochRunner.EpochRun run = real.run(epoch, first, train, batches, listener, cancel);
            if (epoch == 2) {
                // As an update after the last loss was computed would: the loss said nothing.
                net.params().putScalar(5, Float.POSITIVE_INFINITY);
            }
            return run;
        });

        assertEquals(TrainOutcome.DIVERGED, r.outcome());
        assertEquals(List.of(1), checkpoints, "epoch 2's infinite weights were not checkpointed");
        assertTrue(r.message().startsWith("training diverged at the end of epoch 2"), r.message());
        assertTrue(r.message().endsWith("; the checkpoint of epoch 1 is kept."), r.message());
    }
}
