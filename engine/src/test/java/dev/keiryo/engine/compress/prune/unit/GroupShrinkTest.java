package dev.keiryo.engine.compress.prune.unit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.ChannelGroups;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.train.TrainSettings;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Filters removed through batch norm and residual sums: channels whose batch norm outputs are
 * zero in every producer of a group carry nothing, so removing them must not change the outputs.
 */
class GroupShrinkTest {
    @Test
    void deadChannelsOfAResidualStreamAndOfABlocksFirstConvolutionGoWithoutChangingTheOutputs() {
        ComputationGraph net = ModelFactory.build(
                Architecture.of(ArchitecturePreset.RESNET20), new InputShape(3, 8, 8), 5, TrainSettings.defaults());
        randomizeBatchNorm(net);
        int[] stream = IntStream.range(0, 16).filter(c -> c % 4 != 0).toArray(); // drop 0, 4, 8, 12
        int[] free = IntStream.range(0, 32).filter(c -> c >= 8).toArray(); // drop 0..7
        kill(net, ChannelGroups.of(net.getConfiguration(), "stem"), stream);
        kill(net, ChannelGroups.of(net.getConfiguration(), "s2b2.conv1"), free);

        ComputationGraph small = GroupShrink.shrink(net, Map.of("s1b2.conv2", stream, "s2b2.conv1", free));

        assertTrue(small.numParams() < net.numParams());
        assertArrayEquals(new long[] {12, 3, 3, 3}, small.getParam("stem_W").shape());
        assertArrayEquals(
                new long[] {16, 12, 3, 3}, small.getParam("s1b2.conv1_W").shape());
        assertArrayEquals(
                new long[] {12, 16, 3, 3}, small.getParam("s1b2.conv2_W").shape());
        assertArrayEquals(
                new long[] {32, 12, 1, 1}, small.getParam("s2b1.proj_W").shape());
        assertArrayEquals(
                new long[] {24, 32, 3, 3}, small.getParam("s2b2.conv1_W").shape());
        assertArrayEquals(
                new long[] {32, 24, 3, 3}, small.getParam("s2b2.conv2_W").shape());
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 8, 8);
        INDArray a = net.outputSingle(false, x);
        INDArray b = small.outputSingle(false, x);
        assertTrue(
                a.sub(b).amaxNumber().doubleValue() < 1e-5,
                "max difference " + a.sub(b).amaxNumber());
    }

    /** Zero scale and shift of every batch norm of the group in the channels that are not kept. */
    private static void kill(ComputationGraph net, ChannelGroups.Group g, int[] keep) {
        java.util.Set<Integer> kept = new java.util.HashSet<>();
        for (int k : keep) {
            kept.add(k);
        }
        for (String t : g.through()) {
            if (t.endsWith(".bn")) {
                INDArray gamma = net.getParam(t + "_gamma");
                INDArray beta = net.getParam(t + "_beta");
                for (long c = 0; c < gamma.length(); c++) {
                    if (!kept.contains((int) c)) {
                        gamma.putScalar(c, 0);
                        beta.putScalar(c, 0);
                    }
                }
            }
        }
    }

    private static void randomizeBatchNorm(ComputationGraph net) {
        Nd4j.getRandom().setSeed(5);
        for (Map.Entry<String, INDArray> p : net.paramTable().entrySet()) {
            if (p.getKey().endsWith("_gamma")
                    || p.getKey().endsWith("_beta")
                    || p.getKey().endsWith("_mean")) {
                p.getValue()
                        .assign(Nd4j.rand(DataType.FLOAT, p.getValue().shape()).subi(0.3));
            }
        }
    }
}
