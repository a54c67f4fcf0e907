package dev.keiryo.engine.train.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainResult;
import dev.keiryo.engine.compress.prune.connection.ConnectionPlan;
import dev.keiryo.engine.compress.prune.connection.ConnectionPruning;
import dev.keiryo.engine.compress.prune.connection.LayerMask;
import dev.keiryo.engine.model.Layers;
import dev.keiryo.engine.train.FusedAdam;
import dev.keiryo.engine.train.ParallelSettings;
import dev.keiryo.engine.train.TrainSettings;
import java.time.Duration;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Worker replicas are rebuilt from the network's JSON configuration: pruning masks (layer
 * constraints) and quantization-aware training hooks (weight noise) must come along, or averaging
 * and gradient sharing would revive pruned weights and train some workers without the hook.
 */
class ReplicasKeepHooksTest {
    private static final Duration GUARD = Duration.ofMinutes(3);

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void pruningMasksSurviveTheReplicas(String mode) {
        TrainSettings s = SampleRuns.settings(1);
        ConnectionPlan plan = ConnectionPruning.plan(SampleRuns.net(s), ConnectionPruneSpec.global(0.7));
        ComputationGraph pruned = ConnectionPruning.apply(SampleRuns.net(s), plan);
        INDArray before = pruned.params().dup();

        TrainResult r = assertTimeoutPreemptively(
                GUARD, () -> SampleRuns.fit(pruned, s, settings(mode), SampleRuns.train(640), null, null));

        assertEquals(TrainOutcome.COMPLETED, r.outcome(), r.message());
        assertNotEquals(before, pruned.params(), "it trained");
        assertEquals(plan.sparsity(), ConnectionPruning.sparsityOf(pruned, plan), 0.0, "no pruned weight came back");
        for (LayerMask m : plan.masks()) {
            INDArray w = Layers.at(pruned, m.layer()).getParam(m.param());
            INDArray prunedPositions = m.mask().rsub(1.0).castTo(w.dataType());
            assertEquals(0.0, w.mul(prunedPositions).amaxNumber().doubleValue(), 0.0, m.key());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void weightNoiseHooksTrainInEveryWorker(String mode) {
        TrainSettings s = SampleRuns.settings(1);
        ComputationGraph net = SampleRuns.net(s);
        for (int i = 0; i < Layers.count(net); i++) {
            ((BaseLayer) Layers.at(net, i).conf().getLayer()).setWeightNoise(new ThreadRecordingFakeQuant());
        }
        ThreadRecordingFakeQuant.TRAINING_THREADS.clear();

        TrainResult r = assertTimeoutPreemptively(
                GUARD, () -> SampleRuns.fit(net, s, settings(mode), SampleRuns.train(640), null, null));

        assertEquals(TrainOutcome.COMPLETED, r.outcome(), r.message());
        var workers = ThreadRecordingFakeQuant.TRAINING_THREADS.stream()
                .filter(t -> t.startsWith("ParallelWrapper"))
                .collect(Collectors.toSet());
        assertEquals(
                2,
                workers.size(),
                "both workers trained through the hook: " + ThreadRecordingFakeQuant.TRAINING_THREADS);
        assertTrue(
                net.getConfiguration().toJson().contains(ThreadRecordingFakeQuant.class.getName()),
                "the trained network keeps its hook");
        assertTrue(net.params().scan(Conditions.isNan()).intValue() == 0);
    }

    /** Each worker's replica gets the trainer's Adam before its first update (ParallelWrapper rebuilds updaters). */
    @Test
    void workersInstallTheFusedAdamBeforeEachUpdate() {
        ComputationGraph replica = SampleRuns.net(SampleRuns.settings(1));
        new WorkerProgress(1, 0, 10, 32, 320, e -> {}, new CancellationToken()).onGradientCalculation(replica);
        for (UpdaterBlock b : ((BaseMultiLayerUpdater<?>) replica.getUpdater()).getUpdaterBlocks()) {
            assertEquals(FusedAdam.class, b.getGradientUpdater().getClass());
        }
    }

    private static ParallelSettings settings(String mode) {
        return "sync".equals(mode)
                ? ParallelSettings.sync(2, 1)
                : ParallelSettings.async(2).withStallSeconds(60);
    }
}
