package dev.keiryo.engine.onnx.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.model.ExportRequest;
import dev.keiryo.engine.api.model.ExportResult;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.onnx.ort.OrtModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The int8 export: ONNX Runtime runs it with int8 kernels, and it scores as the float one does. */
class Int8ExportTest {
    private static final InputShape MNIST = new InputShape(1, 28, 28);

    @Test
    void lenet5RunsOnInt8KernelsAndKeepsTheFloatAccuracy(@TempDir Path dir) throws Exception {
        Dataset train = DataSources.sample().train();
        Dataset test = DataSources.sample().test();
        KeiryoModel m = ExportFixtures.model(ArchitecturePreset.LENET5, 0.5, MNIST, 10, Normalizer.scale(255f));
        // A few hundred images are enough to leave chance accuracy well behind.
        m.net()
                .fit(ArrayDataSetIterator.builder(train.subset(range(1500)))
                        .normalization(m.meta().normalization())
                        .batchSize(50)
                        .shuffle(false)
                        .imageShaped(true)
                        .build());
        Path zip = ExportFixtures.save(m, dir, "lenet5.zip");
        Path f32 = dir.resolve("f32.onnx");
        Path i8 = dir.resolve("i8.onnx");
        OnnxExport.export(new ExportRequest(zip, f32, false, 0, null, null));
        ExportResult r = OnnxExport.export(new ExportRequest(zip, i8, true, 256, "sample", null));
        assertEquals(256, r.calibrationExamples());
        assertEquals(7, r.operators().get("QuantizeLinear"), "input, conv1, pool1, conv2, pool2, flatten, dense1");

        Map<String, Integer> ops = ExportFixtures.optimizedOperators(i8, dir);
        assertEquals(2, ops.get("QLinearConv"), "optimized graph " + ops);
        assertEquals(2, ops.get("QGemm"), "optimized graph " + ops);
        assertFalse(ops.containsKey("Conv") || ops.containsKey("Gemm"), "no float kernels left: " + ops);
        assertEquals(
                1, ops.get("QuantizeLinear"), "only the input is quantized; pooling and flatten run on uint8: " + ops);
        assertFalse(ops.containsKey("DequantizeLinear"), "nothing returns to float before the last Gemm: " + ops);

        double a32 = accuracy(f32, test);
        double a8 = accuracy(i8, test);
        assertTrue(a32 > 0.5, "the float model learnt something: " + a32);
        assertTrue(Math.abs(a32 - a8) <= 0.02, "float " + a32 + ", int8 " + a8);
    }

    @Test
    void resnet20RunsItsConvolutionsResidualSumsAndPoolingOnInt8Kernels(@TempDir Path dir) throws Exception {
        InputShape colour = new InputShape(3, 8, 8);
        KeiryoModel m = ExportFixtures.model(ArchitecturePreset.RESNET20, 0.25, colour, 5, Normalizer.scale(255f));
        Dataset images = new Dataset(
                "noise", ExportFixtures.rawImages(64, colour, 5), new int[64], 5, 3, 8, 8, java.util.List.of());
        OnnxNetwork net = OnnxNetwork.of(m, "resnet");
        Path i8 = dir.resolve("resnet-int8.onnx");
        java.nio.file.Files.write(
                i8, net.int8Model(Calibration.ranges(net, images, 64)).toByteArray());

        Map<String, Integer> ops = ExportFixtures.optimizedOperators(i8, dir);
        assertEquals(21, ops.get("QLinearConv"), "optimized graph " + ops);
        assertEquals(9, ops.get("QLinearAdd"), "optimized graph " + ops);
        assertEquals(1, ops.get("QLinearGlobalAveragePool"), "optimized graph " + ops);
        assertFalse(ops.containsKey("Conv") || ops.containsKey("Add"), "no float kernels left: " + ops);
    }

    static double accuracy(Path onnx, Dataset test) {
        int n = test.size();
        int d = test.featureCount();
        int k = test.numClasses();
        try (OrtModel m = OrtModel.open(onnx, OrtModel.Options.DEFAULT)) {
            float[] p = m.run(test.features(), new long[] {n, 1, 28, 28});
            int correct = 0;
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int c = 1; c < k; c++) {
                    best = p[i * k + c] > p[i * k + best] ? c : best;
                }
                correct += best == test.label(i) ? 1 : 0;
            }
            assertEquals(n * d, test.features().length);
            return (double) correct / n;
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }
}
