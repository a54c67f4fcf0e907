package dev.keiryo.engine.compress.prune.unit;

import static dev.keiryo.engine.compress.prune.unit.PruneFixtures.preset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.Chains;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

class UnitPruneSpecTest {
    private static final ComputationGraph LENET5 = preset(ArchitecturePreset.LENET5);

    @Test
    void unknownLayerListsTheNetworksLayers() {
        String m = rejected(() ->
                UnitPruneSpec.perLayer(Map.of("conv9", 0.5), UnitCriterion.L1).resolve(LENET5));
        assertEquals(
                "unit pruning names layer 'conv9', which this network does not have; its layers are"
                        + " [conv1, pool1, conv2, pool2, dense1, output] and the prunable ones [conv1, conv2, dense1].",
                m);
    }

    @Test
    void theOutputLayersUnitsAreClasses() {
        String m = rejected(() ->
                UnitPruneSpec.perLayer(Map.of("output", 0.1), UnitCriterion.L1).resolve(LENET5));
        assertEquals(
                "layer 'output' is the output layer, whose units are the classes, so it cannot lose units;"
                        + " prune one of [conv1, conv2, dense1] instead.",
                m);
    }

    @Test
    void layersWithoutUnitsSayWhatTheyAre() {
        assertTrue(rejected(() -> UnitPruneSpec.perLayer(Map.of("pool1", 0.5), UnitCriterion.L1)
                        .resolve(LENET5))
                .startsWith("layer 'pool1' is a SubsamplingLayer, which unit pruning does not support"));
        ComputationGraph teacher = preset(ArchitecturePreset.TEACHER);
        assertTrue(rejected(() -> UnitPruneSpec.perLayer(Map.of("bn1", 0.5), UnitCriterion.L1)
                        .resolve(teacher))
                .startsWith("layer 'bn1' is a BatchNormalization"));
        assertTrue(rejected(() -> UnitPruneSpec.perLayer(Map.of("dropout1", 0.5), UnitCriterion.L1)
                        .resolve(teacher))
                .startsWith("layer 'dropout1' is a DropoutLayer"));
    }

    @Test
    void aConsumerThatCannotBeResizedIsNamed() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("c1").nOut(4).build())
                .layer(new LocalResponseNormalization.Builder().name("lrn").build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("c2").nOut(4).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT)
                        .name("out")
                        .nOut(2)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(8, 8, 1))
                .build();
        ComputationGraph net = new ComputationGraph(Chains.toGraph(conf));
        net.init();
        assertEquals(
                "layer 'c1' feeds 'lrn', a LocalResponseNormalization, which unit pruning cannot resize;"
                        + " prune one of [c2] instead.",
                rejected(() -> UnitPruneSpec.perLayer(Map.of("c1", 0.5), UnitCriterion.L1)
                        .resolve(net)));
        assertEquals(
                Map.of(2, 0.5), UnitPruneSpec.allHidden(0.5, UnitCriterion.L1).resolve(net));
    }

    @Test
    void atLeastOneUnitMustRemain() {
        ComputationGraph net = preset(ArchitecturePreset.LENET300);
        assertEquals(
                "removing a fraction of 0.996 of the 100 units of layer 'dense2' would remove all of them;"
                        + " use a fraction below 0.9950 so at least one unit remains.",
                rejected(() -> UnitPruneSpec.perLayer(Map.of("dense2", 0.996), UnitCriterion.L1)
                        .resolve(net)));
        assertEquals(
                99,
                UnitPruning.plan(net, UnitPruneSpec.perLayer(Map.of("dense2", 0.99), UnitCriterion.L1), null)
                        .cuts()
                        .get(0)
                        .removed()
                        .length);
        assertEquals(
                "removing all 100 units of layer 'dense2' would leave none; keep at least one unit.",
                rejected(() -> UnitPruning.planRemoving(
                        net,
                        Map.of(
                                "dense2",
                                java.util.stream.IntStream.range(0, 100).toArray()))));
    }

    @Test
    void fractionsOutsideTheUnitIntervalAndMissingPartsAreRejected() {
        for (double f : new double[] {1.0, -0.1, Double.NaN}) {
            assertTrue(rejected(() -> UnitPruneSpec.perLayer(Map.of("dense1", f), UnitCriterion.L1))
                    .startsWith("the unit pruning fraction for layer 'dense1' is " + f + " but must be in [0, 1)"));
        }
        assertTrue(
                rejected(() -> UnitPruneSpec.allHidden(1.5, UnitCriterion.L1)).contains("must be in [0, 1)"));
        assertTrue(rejected(() -> UnitPruneSpec.allHidden(0.5, null)).contains("has no criterion"));
        Map<String, Double> nullFraction = new HashMap<>();
        nullFraction.put("dense1", null);
        assertTrue(rejected(() -> UnitPruneSpec.perLayer(nullFraction, UnitCriterion.L1))
                .contains("is null"));
    }

    @Test
    void namedLayersOverrideTheFractionForAllHiddenLayers() {
        UnitPruneSpec spec = new UnitPruneSpec(Map.of("conv2", 0.1), 0.5, UnitCriterion.L2);
        assertEquals(Map.of(0, 0.5, 2, 0.1, 4, 0.5), spec.resolve(LENET5));
        assertEquals(List.of(0, 2, 4), List.copyOf(spec.resolve(LENET5).keySet()));
    }

    @Test
    void unitIndicesAndForeignPlansAreChecked() {
        assertEquals(
                "unit 20 of layer 'conv1' does not exist (it has units 0..19); remove units in that range.",
                rejected(() -> UnitPruning.planRemoving(LENET5, Map.of("conv1", new int[] {20}))));
        UnitPlan plan = UnitPruning.planRemoving(preset(ArchitecturePreset.LENET300), Map.of("dense1", new int[] {0}));
        assertTrue(rejected(() -> UnitPruning.shrink(LENET5, plan))
                .startsWith("the unit pruning plan expects layer 0 to be 'dense1' with 300 units"));
    }

    private static String rejected(Executable e) {
        String m = assertThrows(KeiryoException.class, e).getMessage();
        assertTrue(m.endsWith(".") && !m.contains("\n"), "one sentence: " + m);
        return m;
    }
}
