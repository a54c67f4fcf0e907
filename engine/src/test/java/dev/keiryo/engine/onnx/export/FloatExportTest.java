package dev.keiryo.engine.onnx.export;

import static dev.keiryo.engine.onnx.export.ExportFixtures.keiryoOutput;
import static dev.keiryo.engine.onnx.export.ExportFixtures.maxAbsDiff;
import static dev.keiryo.engine.onnx.export.ExportFixtures.model;
import static dev.keiryo.engine.onnx.export.ExportFixtures.ortOutput;
import static dev.keiryo.engine.onnx.export.ExportFixtures.rawImages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.api.model.ExportRequest;
import dev.keiryo.engine.api.model.ExportResult;
import dev.keiryo.engine.compress.pack.PackOptions;
import dev.keiryo.engine.compress.pack.PackWriter;
import dev.keiryo.engine.compress.prune.unit.UnitPruneSpec;
import dev.keiryo.engine.compress.prune.unit.UnitPruning;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import java.nio.file.Path;
import onnx.Onnx.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The float32 export, run by ONNX Runtime, computes what Keiryo computes. */
class FloatExportTest {
    private static final InputShape MNIST = new InputShape(1, 28, 28);
    private static final InputShape COLOUR = new InputShape(3, 8, 8);

    private static ExportResult export(Path model, Path out) {
        return OnnxExport.export(new ExportRequest(model, out, false, 0, null, null));
    }

    @Test
    void lenet5TakesRawPixelsAndMatchesKeiryo(@TempDir Path dir) throws Exception {
        KeiryoModel m = model(ArchitecturePreset.LENET5, 0.5, MNIST, 10, Normalizer.scale(255f));
        Path onnx = dir.resolve("lenet5.onnx");
        ExportResult r = export(ExportFixtures.save(m, dir, "lenet5.zip"), onnx);

        float[] raw = rawImages(8, MNIST, 1);
        float[] ort = ortOutput(onnx, raw, new long[] {8, 1, 28, 28});
        double diff = maxAbsDiff(keiryoOutput(m, raw, 8), ort);
        assertTrue(diff < 1e-4, "max difference " + diff);
        assertEquals(2, r.operators().get("Conv"));
        assertEquals(2, r.operators().get("MaxPool"));
        assertEquals(1, r.operators().get("Flatten"));
        assertEquals(1, r.operators().get("Softmax"));
    }

    @Test
    void resnet20WithBatchNormAndResidualSumsMatchesKeiryo(@TempDir Path dir) throws Exception {
        Normalizer perChannel = new Normalizer(
                Normalizer.Kind.PER_CHANNEL, 1f, new float[] {120, 110, 100}, new float[] {60, 50, 70}, 64);
        KeiryoModel m = model(ArchitecturePreset.RESNET20, 0.25, COLOUR, 5, perChannel);
        Path onnx = dir.resolve("resnet.onnx");
        ExportResult r = export(ExportFixtures.save(m, dir, "resnet.zip"), onnx);

        float[] raw = rawImages(6, COLOUR, 2);
        double diff = maxAbsDiff(keiryoOutput(m, raw, 6), ortOutput(onnx, raw, new long[] {6, 3, 8, 8}));
        assertTrue(diff < 1e-4, "max difference " + diff);
        assertEquals(21, r.operators().get("Conv"), "19 convolutions and 2 projections");
        assertEquals(9, r.operators().get("Add") - 1, "9 residual sums and the normalization's shift");
        assertFalse(r.operators().containsKey("BatchNormalization"), "batch norm is folded into the convolutions");
    }

    @Test
    void aUnitPrunedResnetExportsAsTheSmallerNetworkFromItsKpack(@TempDir Path dir) throws Exception {
        KeiryoModel m = model(ArchitecturePreset.RESNET20, 0.25, COLOUR, 5, Normalizer.scale(255f));
        KeiryoModel small = new KeiryoModel(
                UnitPruning.shrink(
                        m.net(), UnitPruning.plan(m.net(), UnitPruneSpec.allHidden(0.5, UnitCriterion.L1), null)),
                m.meta());
        Path kpack = dir.resolve("small.kpack");
        PackWriter.write(small, kpack, PackOptions.defaults());
        Path onnx = dir.resolve("small.onnx");
        export(kpack, onnx);

        float[] raw = rawImages(6, COLOUR, 3);
        double diff = maxAbsDiff(keiryoOutput(small, raw, 6), ortOutput(onnx, raw, new long[] {6, 3, 8, 8}));
        assertTrue(diff < 1e-4, "max difference " + diff);
        TensorProto stem = ExportFixtures.read(onnx).getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals("stem.relu.W"))
                .findFirst()
                .orElseThrow();
        assertEquals(2, stem.getDims(0), "the stem keeps 2 of its 4 filters");
    }
}
