package dev.keiryo.engine.compress.prune.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.api.compress.PruneScope;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad settings are rejected with one sentence that says what, where and what to do. */
class ConnectionPruneSpecTest {

    private static String rejected(Executable e, String... fragments) {
        KeiryoException ex = assertThrows(KeiryoException.class, e);
        String m = ex.getMessage();
        for (String f : fragments) {
            assertTrue(m.contains(f), "'" + m + "' should mention '" + f + "'");
        }
        assertFalse(m.contains("\n"), m);
        assertTrue(m.endsWith("."), m);
        return m;
    }

    @Test
    void sparsityOutsideZeroToOneIsRejected() {
        rejected(() -> ConnectionPruneSpec.global(1.0), "sparsity", "[0, 1)", "was 1.0");
        rejected(() -> ConnectionPruneSpec.perLayer(-0.1), "sparsity", "[0, 1)");
        rejected(() -> ConnectionPruneSpec.global(Double.NaN), "sparsity");
        rejected(() -> ConnectionPruneSpec.perLayer(0.5).withLayerSparsity(Map.of("dense1", 1.5)), "dense1", "[0, 1)");
    }

    @Test
    void thresholdMustBeNonNegative() {
        rejected(() -> ConnectionPruneSpec.belowThreshold(-0.01), "threshold", ">= 0");
        rejected(() -> ConnectionPruneSpec.belowThreshold(Double.POSITIVE_INFINITY), "threshold");
    }

    @Test
    void exactlyOneTarget() {
        rejected(
                () -> new ConnectionPruneSpec(PruneScope.GLOBAL, 0.5, 0.1, null, null, false, null),
                "exactly one",
                "both");
        rejected(() -> new ConnectionPruneSpec(PruneScope.GLOBAL, null, null, null, null, false, null), "neither");
        rejected(() -> new ConnectionPruneSpec(null, 0.5, null, null, null, false, null), "scope");
    }

    @Test
    void perLayerMapNeedsPerLayerScopeWithASparsity() {
        rejected(() -> ConnectionPruneSpec.global(0.5).withLayerSparsity(Map.of("dense1", 0.9)), "per_layer", "global");
        rejected(() -> ConnectionPruneSpec.belowThreshold(0.1).withLayerSparsity(Map.of("dense1", 0.9)), "threshold");
    }

    @Test
    void aLayerCannotBeIncludedAndExcluded() {
        rejected(
                () -> ConnectionPruneSpec.global(0.5)
                        .withLayers(List.of("dense1"))
                        .withExclude(List.of("dense1")),
                "dense1",
                "exclude");
        ComputationGraph net = Fixtures.mlp();
        rejected(
                () -> ConnectionPruning.plan(
                        net,
                        ConnectionPruneSpec.global(0.5)
                                .withLayers(List.of("dense1"))
                                .withExclude(List.of("0"))),
                "dense1",
                "exclude");
    }

    @Test
    void unknownLayersListTheKnownOnes() {
        ComputationGraph net = Fixtures.mlp();
        rejected(
                () -> ConnectionPruning.plan(
                        net, ConnectionPruneSpec.global(0.5).withLayers(List.of("dense9"))),
                "unknown layer 'dense9'",
                "layers",
                "dense1, dense2, output",
                "0-2");
        rejected(
                () -> ConnectionPruning.plan(
                        net, ConnectionPruneSpec.global(0.5).withExclude(List.of("7"))),
                "unknown layer '7'",
                "exclude");
        rejected(
                () -> ConnectionPruning.plan(
                        net, ConnectionPruneSpec.perLayer(0.5).withLayerSparsity(Map.of("fc", 0.2))),
                "unknown layer 'fc'");
    }

    @Test
    void layersWithoutWeightsAreRejectedNamingThePrunableOnes() {
        ComputationGraph net = Fixtures.smallLenet();
        rejected(
                () -> ConnectionPruning.plan(
                        net, ConnectionPruneSpec.global(0.5).withLayers(List.of("pool1"))),
                "'pool1'",
                "SubsamplingLayer",
                "no weights",
                "conv1, conv2, dense1, output");
    }

    @Test
    void excludingEverythingOrGivingAnExcludedLayerASparsityIsRejected() {
        ComputationGraph net = Fixtures.mlp();
        rejected(
                () -> ConnectionPruning.plan(
                        net, ConnectionPruneSpec.global(0.5).withExclude(List.of("dense1", "dense2", "output"))),
                "no layers left");
        rejected(
                () -> ConnectionPruning.plan(
                        net,
                        ConnectionPruneSpec.perLayer(0.5)
                                .withExclude(List.of("output"))
                                .withLayerSparsity(Map.of("output", 0.3))),
                "'output'",
                "not pruned");
    }

    @Test
    void layersMayBeNamedOrIndexedAndExcludedLayersAreSkipped() {
        ComputationGraph net = Fixtures.smallLenet();
        ConnectionPlan byIndex =
                ConnectionPruning.plan(net, ConnectionPruneSpec.global(0.5).withLayers(List.of("0", "dense1")));
        assertEquals(
                List.of("conv1", "dense1"),
                byIndex.masks().stream().map(LayerMask::layerName).toList());

        ConnectionPlan excluded =
                ConnectionPruning.plan(net, ConnectionPruneSpec.global(0.5).withExclude(List.of("output", "pool1")));
        assertEquals(
                List.of("conv1", "conv2", "dense1"),
                excluded.masks().stream().map(LayerMask::layerName).toList());
    }
}
