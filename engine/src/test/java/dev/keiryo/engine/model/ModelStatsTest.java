package dev.keiryo.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keiryo.engine.api.model.ModelStats;
import dev.keiryo.engine.train.TrainSettings;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

class ModelStatsTest {
    private static final InputShape MNIST = new InputShape(1, 28, 28);

    @Test
    void lenet300HasTheTextbookParameterCountAndFlops() {
        ComputationGraph net =
                ModelFactory.build(Architecture.of(ArchitecturePreset.LENET300), MNIST, 10, TrainSettings.defaults());
        ModelStats s = ModelStatistics.of(net, MNIST.toInputType(false));
        assertEquals(784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10, s.parameters());
        assertEquals(266_610, s.parameters());
        assertEquals(s.parameters() * 4, s.float32Bytes());
        // dense layers: 2 * nIn * nOut multiply-adds
        assertEquals(2L * (784 * 300 + 300 * 100 + 100 * 10), s.flopsPerSample());
    }

    @Test
    void lenet5MatchesThePeerBenchmarksModel() {
        ComputationGraph net =
                ModelFactory.build(Architecture.of(ArchitecturePreset.LENET5), MNIST, 10, TrainSettings.defaults());
        ModelStats s = ModelStatistics.of(net, MNIST.toInputType(true));
        // conv 5x5x20, pool, conv 5x5x50, pool, dense 500, softmax 10 (bench_torch.py reports 431,080)
        assertEquals(431_080, s.parameters());
        assertEquals("20x24x24", s.layers().get(0).outputShape());
        long conv1 = 2L * 25 * 1 * 20 * 24 * 24;
        long conv2 = 2L * 25 * 20 * 50 * 8 * 8;
        assertEquals(conv1, s.layers().get(0).flopsPerSample());
        assertEquals(conv2, s.layers().get(2).flopsPerSample());
    }

    @Test
    void widthMultiplierScalesHiddenLayersButNotTheOutput() {
        Architecture half = new Architecture(ArchitecturePreset.LENET300, 0.5, null, 0);
        ComputationGraph net = ModelFactory.build(half, MNIST, 10, TrainSettings.defaults());
        ModelStats s = ModelStatistics.of(net, MNIST.toInputType(false));
        assertEquals(784 * 150 + 150 + 150 * 50 + 50 + 50 * 10 + 10, s.parameters());
    }

    @Test
    void nonZerosCountZeroedWeights() {
        ComputationGraph net =
                ModelFactory.build(Architecture.of(ArchitecturePreset.LENET300), MNIST, 10, TrainSettings.defaults());
        long before = ModelStatistics.of(net, MNIST.toInputType(false)).nonZeros();
        Layers.at(net, 0).getParam("W").getRow(0).assign(0);
        ModelStats after = ModelStatistics.of(net, MNIST.toInputType(false));
        // biases start at zero, so 410 of them are already zeros
        assertEquals(before - 300, after.nonZeros());
        assertEquals(266_610, after.parameters());
    }

    @Test
    void aTinyWeightIsNotAZero() {
        ComputationGraph net =
                ModelFactory.build(Architecture.of(ArchitecturePreset.LENET300), MNIST, 10, TrainSettings.defaults());
        long before = ModelStatistics.of(net, MNIST.toInputType(false)).nonZeros();
        Layers.at(net, 0).getParam("W").putScalar(0, 0, 1e-7);
        Layers.at(net, 0).getParam("W").putScalar(0, 1, -3e-6);
        assertEquals(
                before,
                ModelStatistics.of(net, MNIST.toInputType(false)).nonZeros(),
                "the weight histogram counts only exact zeros; so must the table");
    }
}
