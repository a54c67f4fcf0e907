package dev.keiryo.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.model.WeightHistogram;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.train.TrainSettings;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

class WeightHistogramTest {
    private static final InputShape IN = new InputShape(1, 28, 28);

    private final KeiryoModel model = new KeiryoModel(
            ModelFactory.build(Architecture.of(ArchitecturePreset.LENET300), IN, 10, TrainSettings.defaults()),
            new ModelMeta(1, "lenet300", IN, false, 10, List.of(), Normalizer.scale(255f)));

    @Test
    void weightHistogramCountsEveryWeightOnceWithZerosApart() {
        ComputationGraph net = model.net().clone();
        Layers.at(net, 0).getParam("W").getRow(0).assign(0);
        WeightHistogram h = WeightHistograms.of(net, 0, 40);
        assertEquals(Layers.at(net, 0).getParam("W").length(), h.total());
        assertTrue(h.zeros() >= Layers.at(net, 0).getParam("W").columns());
        WeightHistogram all = WeightHistograms.of(net, -1, 10);
        long weights = 0;
        for (int i = 0; i < Layers.count(net); i++) {
            weights += Layers.at(net, i).getParam("W").length();
        }
        assertEquals(weights, all.total());
        assertTrue(all.min() < 0 && all.max() > 0);
        float[] mags = WeightHistograms.sortedMagnitudes(net);
        assertEquals(weights, mags.length);
        assertEquals(0f, mags[0]);
        assertEquals(Math.max(-all.min(), all.max()), mags[mags.length - 1], 1e-6);
    }
}
