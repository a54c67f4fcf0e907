package dev.keiryo.engine.compress.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.train.Updaters;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Half networks pack exactly (and smaller); double networks are stored at float32 and say so. */
class DataTypesTest {
    @TempDir
    Path dir;

    private static KeiryoModel net(DataType type, double zeros) {
        TrainSettings s = new TrainSettings(Updaters.ADAM, 1e-3, 32, 1, type, 0, 0, 1, 42);
        KeiryoModel m = new KeiryoModel(
                ModelFactory.build(Architecture.of(ArchitecturePreset.LENET300), TestNets.MNIST, 10, s), null);
        return TestNets.sparse(m, zeros, 8);
    }

    @Test
    void halfNetworkRoundTripsExactlyInHalfTheBytes() {
        KeiryoModel m = net(TrainSettings.HALF, 0);
        Path f = dir.resolve("half.kpack");
        PackReport r = PackWriter.write(m, f, PackOptions.defaults());
        assertTrue(r.exact());
        assertTrue(
                r.tensors().stream()
                        .allMatch(t ->
                                t.encoding().equals("dense-f16") && t.dataType().equals("half")),
                r.tensors().toString());
        assertTrue(r.ratio() > 1.99, "ratio " + r.ratio());
        KeiryoModel back = PackReader.read(f);
        assertEquals(TrainSettings.HALF, back.net().params().dataType());
        TestNets.assertIdentical(
                m.net(),
                back.net(),
                TestNets.input(ArchitecturePreset.LENET300, 2, 4).castTo(TrainSettings.HALF));
    }

    @Test
    void doubleNetworkIsStoredAtFloat32AndTheReportSaysItIsNotExact() {
        KeiryoModel m = net(DataType.DOUBLE, 0.5);
        // Off the float32 grid (the helper draws float32 values), so rounding really happens.
        m.net().params().muli(1 + 1e-10);
        Path f = dir.resolve("double.kpack");
        PackReport r = PackWriter.write(m, f, PackOptions.defaults());
        assertFalse(r.exact());
        assertTrue(
                r.tensors().stream()
                        .allMatch(t -> t.dataType().equals("double") && !t.exact() && t.maxAbsError() < 1e-8),
                r.tensors().toString());
        KeiryoModel back = PackReader.read(f);
        assertEquals(DataType.DOUBLE, back.net().params().dataType());
        INDArray x = TestNets.input(ArchitecturePreset.LENET300, 2, 4).castTo(DataType.DOUBLE);
        assertTrue(m.net()
                        .outputSingle(x)
                        .sub(back.net().outputSingle(x))
                        .amaxNumber()
                        .doubleValue()
                < 1e-6);
    }
}
