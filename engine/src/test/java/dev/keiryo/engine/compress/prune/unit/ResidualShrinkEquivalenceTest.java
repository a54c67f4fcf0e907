package dev.keiryo.engine.compress.prune.unit;

import static dev.keiryo.engine.compress.prune.unit.PruneFixtures.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.ChannelGroups;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.train.TrainSettings;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The shrink-equivalence property on residual networks: once no consumer of a channel group reads
 * some channels, removing them from every producer, batch norm and sum of the group must leave the
 * output unchanged, for every group of ResNet-20 and VGG-small with trained-like batch norms.
 */
class ResidualShrinkEquivalenceTest {
    private static final InputShape IN = new InputShape(3, 8, 8);

    @Test
    void everyGroupOfAResnet() {
        assertEveryGroup(ArchitecturePreset.RESNET20);
    }

    @Test
    void everyGroupOfVggSmall() {
        assertEveryGroup(ArchitecturePreset.VGG_SMALL);
    }

    private static void assertEveryGroup(ArchitecturePreset preset) {
        for (ChannelGroups.Group g : ChannelGroups.of(net(preset).getConfiguration())) {
            ComputationGraph net = net(preset);
            int[] removed = {0, 2};
            for (String c : g.consumers()) {
                INDArray w = net.getLayer(c).getParam("W");
                for (int ch : removed) {
                    if (w.rank() == 4) {
                        w.get(NDArrayIndex.all(), NDArrayIndex.point(ch), NDArrayIndex.all(), NDArrayIndex.all())
                                .assign(0);
                    } else {
                        w.getRow(ch).assign(0);
                    }
                }
            }
            INDArray x = Nd4j.rand(DataType.FLOAT, 6, 3, 8, 8).subi(0.5);
            ComputationGraph small = UnitPruning.shrink(
                    net, UnitPruning.planRemoving(net, Map.of(g.producers().get(0), removed)));
            double diff = maxAbsDiff(net.outputSingle(false, x), small.outputSingle(false, x));
            assertTrue(diff < 1e-5, "removing channels of " + g.producers() + " changed the output by " + diff);
        }
    }

    /** Trained-like parameters: biases and batch-norm shifts, means and (positive) variances all differ. */
    private static ComputationGraph net(ArchitecturePreset p) {
        Nd4j.getRandom().setSeed(7);
        ComputationGraph net = ModelFactory.build(new Architecture(p, 0.5, null, 0.0), IN, 5, TrainSettings.defaults());
        Random r = new Random(3);
        for (Layer l : net.getLayers()) {
            for (Map.Entry<String, INDArray> e : l.paramTable().entrySet()) {
                INDArray v = e.getValue();
                if (e.getKey().equals("W")) {
                    continue;
                }
                for (long k = 0; k < v.length(); k++) {
                    double g = r.nextGaussian();
                    v.putScalar(
                            k,
                            switch (e.getKey()) {
                                case "gamma" -> 1 + 0.3 * g;
                                case "var" -> 0.5 + Math.abs(g);
                                case "log10stdev" -> 0.2 * g;
                                default -> 0.3 * g;
                            });
                }
            }
        }
        return net;
    }
}
