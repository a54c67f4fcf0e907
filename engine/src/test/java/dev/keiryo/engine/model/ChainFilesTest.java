package dev.keiryo.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.train.TrainSettings;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Model zips written before graphs (a DL4J layer list) still open, as graphs with the same outputs. */
class ChainFilesTest {
    @TempDir
    Path dir;

    @Test
    void aLayerListZipLoadsAsAGraphWithItsLayerNamesAndOutputs() throws Exception {
        InputShape in = new InputShape(1, 28, 28);
        MultiLayerNetwork chain = LayerLists.toChain(
                ModelFactory.build(Architecture.of(ArchitecturePreset.TEACHER), in, 10, TrainSettings.defaults()),
                "test");
        Path f = dir.resolve("old.zip");
        ModelSerializer.writeModel(chain, f.toFile(), true);

        KeiryoModel back = ModelIO.load(f);
        assertEquals(Layers.names(back.net()).subList(0, 3), List.of("conv1", "bn1", "relu1"));
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 1, 28, 28);
        assertEquals(chain.output(x, false), back.net().outputSingle(false, x));
    }

    @Test
    void aResidualGraphWithBatchNormRoundTripsThroughAModelZip() throws Exception {
        InputShape in = new InputShape(3, 8, 8);
        ComputationGraph net =
                ModelFactory.build(Architecture.of(ArchitecturePreset.RESNET20), in, 4, TrainSettings.defaults());
        KeiryoModel m = new KeiryoModel(
                net, new ModelMeta(ModelMeta.FORMAT_VERSION, "resnet20", in, true, 4, List.of(), Normalizer.none()));
        Path f = dir.resolve("resnet.zip");
        ModelIO.save(m, f, true, false);
        KeiryoModel back = ModelIO.load(f);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 8, 8);
        assertEquals(net.outputSingle(false, x), back.net().outputSingle(false, x));
        assertEquals(net.getConfiguration(), back.net().getConfiguration());
    }
}
