package dev.keiryo.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keiryo.engine.api.experiment.TrainSpec;
import dev.keiryo.engine.api.run.TrainState;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class LrScheduleTest {
    private static TrainSettings cosine(int epochs) {
        return new TrainSettings(
                Updaters.ADAM, 0.01, 32, epochs, DataType.FLOAT, 0, 0, 0, 11, TrainSpec.LrSchedule.COSINE);
    }

    @Test
    void cosineStartsAtTheRateAndFallsAlongHalfACosine() {
        TrainSettings s = cosine(4);
        assertEquals(0.01, s.learningRateAt(1), 1e-12);
        assertEquals(0.01 * 0.5 * (1 + Math.cos(Math.PI / 4)), s.learningRateAt(2), 1e-12);
        assertEquals(0.005, s.learningRateAt(3), 1e-12);
        assertEquals(0.01 * 0.5 * (1 + Math.cos(3 * Math.PI / 4)), s.learningRateAt(4), 1e-12);
    }

    @Test
    void constantKeepsTheRate() {
        TrainSettings s = TrainSettings.defaults().withEpochs(10);
        assertEquals(s.learningRate(), s.learningRateAt(7), 0);
    }

    @Test
    void theTrainerTrainsEachEpochAtItsScheduledRate() {
        TrainSettings s = cosine(3);
        ComputationGraph net = ModelFactory.build(
                new Architecture(ArchitecturePreset.MLP, 1.0, List.of(8), 0), InputShape.flat(4), 3, s);
        String layer = net.getLayer(0).conf().getLayer().getLayerName();
        List<Double> rates = new ArrayList<>();
        new Trainer(
                        net,
                        s,
                        e -> {
                            if (e instanceof TrainingEvent.Epoch) {
                                rates.add(net.getLearningRate(layer));
                            }
                        },
                        null)
                .fit(
                        ArrayDataSetIterator.builder(TrainerTest.blobs())
                                .batchSize(32)
                                .seed(5)
                                .build(),
                        256,
                        null,
                        null,
                        TrainState.initial());

        assertEquals(3, rates.size());
        for (int epoch = 1; epoch <= 3; epoch++) {
            assertEquals(s.learningRateAt(epoch), rates.get(epoch - 1), 1e-9, "epoch " + epoch);
        }
    }
}
