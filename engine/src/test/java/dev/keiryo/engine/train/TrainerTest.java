package dev.keiryo.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.EvalResult;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainResult;
import dev.keiryo.engine.api.run.TrainState;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.TrainingListener;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The trainer's own loop on a tiny synthetic table, with a scripted validator. */
class TrainerTest {
    private static final int EXAMPLES = 256;

    /** Three Gaussian blobs in 4 dimensions: easy to learn, and every epoch changes the weights. */
    static Dataset blobs() {
        Random r = new Random(3);
        float[] x = new float[EXAMPLES * 4];
        int[] y = new int[EXAMPLES];
        for (int i = 0; i < EXAMPLES; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) (r.nextGaussian() + (j == y[i] ? 3 : 0));
            }
        }
        return Dataset.tabular("blobs", x, y, 3, 4, null);
    }

    private static TrainSettings settings(int epochs, int patience) {
        return new TrainSettings(Updaters.ADAM, 1e-2, 32, epochs, DataType.FLOAT, 0, patience, 1, 11);
    }

    private static ComputationGraph net(TrainSettings s) {
        return ModelFactory.build(
                new Architecture(ArchitecturePreset.MLP, 1.0, List.of(16), 0), InputShape.flat(4), 3, s);
    }

    private static ArrayDataSetIterator iterator(Dataset d) {
        return ArrayDataSetIterator.builder(d).batchSize(32).seed(5).build();
    }

    /** Returns the scripted accuracies in turn, whatever the network. */
    private static Validator scripted(double... accuracies) {
        int[] calls = {0};
        return n -> {
            double acc = accuracies[calls[0]++];
            return new EvalResult(100, acc, 1 - acc, new double[] {acc, acc, acc}, new long[3][3]);
        };
    }

    /** Records every event and the parameters at the end of each epoch. */
    private static final class Recorder implements TrainingListener {
        final ComputationGraph net;
        final List<TrainingEvent> events = new ArrayList<>();
        final Map<Integer, INDArray> paramsAtEpoch = new HashMap<>();

        Recorder(ComputationGraph net) {
            this.net = net;
        }

        @Override
        public void onEvent(TrainingEvent e) {
            events.add(e);
            if (e instanceof TrainingEvent.Epoch ep) {
                paramsAtEpoch.put(ep.epoch(), net.params().dup());
            }
        }
    }

    @Test
    void stopsEarlyAndRestoresTheWeightsOfTheBestEpoch() {
        TrainSettings s = settings(5, 1);
        ComputationGraph net = net(s);
        Recorder rec = new Recorder(net);
        List<Integer> checkpoints = new ArrayList<>();

        TrainResult r = new Trainer(net, s, rec, null)
                .fit(
                        iterator(blobs()),
                        EXAMPLES,
                        scripted(0.9, 0.8, 0.95, 0.95, 0.95),
                        (n, st, b) -> checkpoints.add(st.epochsCompleted()),
                        TrainState.initial());

        assertEquals(TrainOutcome.STOPPED_EARLY, r.outcome(), r.message());
        assertEquals(2, r.state().epochsCompleted(), "stops after one epoch without improvement");
        assertEquals(1, r.state().bestEpoch());
        assertEquals(0.9, r.state().bestValidationAccuracy());
        assertEquals(1, r.state().epochsWithoutImprovement());
        assertEquals(List.of(1, 2), checkpoints, "a checkpoint after every epoch run");
        assertTrue(r.message().contains("kept epoch 1"), r.message());

        INDArray best = rec.paramsAtEpoch.get(1);
        INDArray last = rec.paramsAtEpoch.get(2);
        assertTrue(best.sub(last).amaxNumber().doubleValue() > 1e-4, "epoch 2 changed the weights (sanity)");
        assertEquals(best, net.params(), "the network ends with epoch 1's weights");
        assertTrue(
                rec.events.stream()
                        .anyMatch(e -> e instanceof TrainingEvent.Message m
                                && m.text().contains("restored the weights of epoch 1")),
                "the restore is reported");
    }

    @Test
    void completingWithEarlyStoppingOnStillEndsOnTheBestEpoch() {
        TrainSettings s = settings(3, 2);
        ComputationGraph net = net(s);
        Recorder rec = new Recorder(net);

        TrainResult r = new Trainer(net, s, rec, null)
                .fit(iterator(blobs()), EXAMPLES, scripted(0.5, 0.7, 0.6), null, TrainState.initial());

        assertEquals(TrainOutcome.COMPLETED, r.outcome(), "patience 2 is not exhausted by the last epoch");
        assertEquals(3, r.state().epochsCompleted());
        assertEquals(2, r.state().bestEpoch());
        assertEquals(rec.paramsAtEpoch.get(2), net.params(), "weights of the best epoch, not the last");
    }

    @Test
    void withoutEarlyStoppingTheLastWeightsAreKept() {
        TrainSettings s = settings(2, 0);
        ComputationGraph net = net(s);
        Recorder rec = new Recorder(net);

        TrainResult r = new Trainer(net, s, rec, null)
                .fit(iterator(blobs()), EXAMPLES, scripted(0.9, 0.1), null, TrainState.initial());

        assertEquals(TrainOutcome.COMPLETED, r.outcome());
        assertEquals(rec.paramsAtEpoch.get(2), net.params());
        assertEquals(16, r.state().iterations(), "256 examples in batches of 32, twice");
        List<TrainingEvent.Iteration> its = rec.events.stream()
                .filter(e -> e instanceof TrainingEvent.Iteration)
                .map(e -> (TrainingEvent.Iteration) e)
                .toList();
        assertEquals(16, its.size());
        assertEquals(8, its.get(0).batchesPerEpoch());
        assertEquals(8, its.get(15).batchInEpoch());
        assertTrue(its.stream().allMatch(i -> Double.isFinite(i.loss()) && i.loss() > 0));
        assertTrue(
                r.state().history().get(1).trainLoss()
                        < r.state().history().get(0).trainLoss(),
                "it learns");
    }

    @Test
    void aCancelledTokenStopsBeforeTheNextMinibatch() {
        TrainSettings s = settings(3, 0);
        ComputationGraph net = net(s);
        INDArray before = net.params().dup();
        CancellationToken token = new CancellationToken();
        token.cancel();
        List<Integer> checkpoints = new ArrayList<>();

        TrainResult r = new Trainer(net, s, null, token)
                .fit(
                        iterator(blobs()),
                        EXAMPLES,
                        null,
                        (n, st, b) -> checkpoints.add(st.epochsCompleted()),
                        TrainState.initial());

        assertEquals(TrainOutcome.CANCELLED, r.outcome());
        assertEquals(TrainState.initial(), r.state());
        assertEquals(before, net.params(), "no minibatch was trained");
        assertEquals(List.of(), checkpoints);
    }

    @Test
    void aResumedRunStillEndsOnTheBestWeightsSavedBeforeTheCheckpoint() {
        TrainSettings s = settings(3, 2);
        ComputationGraph first = net(s);
        Recorder rec = new Recorder(first);
        INDArray[] saved = new INDArray[2];
        TrainState[] state = new TrainState[1];
        // Run epochs 1-2 (epoch 1 best), "crash" after the epoch-2 checkpoint.
        new Trainer(first, settings(2, 2), rec, null)
                .fit(
                        iterator(blobs()),
                        EXAMPLES,
                        scripted(0.9, 0.5),
                        (n, st, b) -> {
                            saved[0] = n.params().dup();
                            saved[1] = b == null ? null : b.dup();
                            state[0] = st;
                        },
                        TrainState.initial());
        assertEquals(1, state[0].bestEpoch());
        assertEquals(rec.paramsAtEpoch.get(1), saved[1], "the checkpoint carries the best epoch's weights");

        ComputationGraph resumed = net(s);
        resumed.setParams(saved[0]);
        TrainResult r = new Trainer(resumed, s, null, null)
                .fit(iterator(blobs()), EXAMPLES, scripted(0.6), null, state[0], saved[1]);
        assertEquals(TrainOutcome.COMPLETED, r.outcome());
        assertEquals(1, r.state().bestEpoch());
        assertEquals(saved[1], resumed.params(), "ends on epoch 1's weights, not the last epoch's");
    }
}
