package dev.keiryo.engine.compress.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.compress.prune.unit.UnitPruneSpec;
import dev.keiryo.engine.compress.prune.unit.UnitPruning;
import dev.keiryo.engine.data.DataBundle;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.Chains;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.Layers;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.preview.PreviewSubset;
import dev.keiryo.engine.train.TrainSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Unit sensitivity offers exactly the layers that unit pruning accepts, no more and no fewer. */
class SensitivityTest {
    private static final InputShape MNIST = new InputShape(1, 28, 28);
    private static DataBundle data;

    @BeforeAll
    static void setUp() {
        data = DataSources.sample();
    }

    /** LeNet-5: both convolutions and the hidden dense layer before the output, never the output. */
    @Test
    void onLenet5TheLayersOfferedAreTheLayersUnitPruningShrinks() {
        ComputationGraph net =
                ModelFactory.build(Architecture.of(ArchitecturePreset.LENET5), MNIST, 10, TrainSettings.defaults());
        List<String> offered = offered(net, true);
        assertEquals(accepted(net), offered);
        String output = last(net);
        String lastHidden = Layers.names(net).get(Layers.count(net) - 2);
        assertTrue(offered.contains(lastHidden), lastHidden + " feeds the output layer and can lose units");
        assertFalse(offered.contains(output), "the output layer's units are the classes");
    }

    /**
     * A dense layer that feeds a loss layer makes the classes: unit pruning refuses it, so
     * sensitivity must not try it (it used to, and failed on the refusal).
     */
    @Test
    void aDenseLayerFeedingALossLayerIsNotOffered() {
        ComputationGraph net = new ComputationGraph(Chains.toGraph(new NeuralNetConfiguration.Builder()
                .seed(3)
                .list()
                .layer(new DenseLayer.Builder()
                        .name("hidden")
                        .nOut(16)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .name("logits")
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .layer(new LossLayer.Builder(LossFunction.MCXENT)
                        .name("loss")
                        .activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.feedForward(784))
                .build()));
        net.init();
        assertEquals(List.of("hidden"), accepted(net), "the fixture: only the first dense layer can lose units");
        assertEquals(accepted(net), offered(net, false));
    }

    /** The layers sensitivity measures when asked for all of them. */
    private static List<String> offered(ComputationGraph net, boolean image) {
        ModelMeta meta = new ModelMeta(
                1, "test", MNIST, image, 10, List.of(), Normalizer.fit(Normalizer.Kind.SCALE, data.train()));
        PreviewSubset subset = new PreviewSubset(data.test(), meta, 50);
        return new ArrayList<>(
                Sensitivity.unit(net, List.of(), List.of(0.5), UnitCriterion.L1, null, subset, () -> false)
                        .keySet());
    }

    /** The layers a unit pruning plan accepts, found by asking for each layer of the network in turn. */
    private static List<String> accepted(ComputationGraph net) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < Layers.count(net); i++) {
            String name = Layers.names(net).get(i);
            try {
                UnitPruning.plan(net, UnitPruneSpec.perLayer(Map.of(name, 0.5), UnitCriterion.L1), null);
                names.add(name);
            } catch (KeiryoException refused) {
                // not a layer unit pruning can shrink
            }
        }
        return names;
    }

    private static String last(ComputationGraph net) {
        return Layers.names(net).get(Layers.count(net) - 1);
    }
}
