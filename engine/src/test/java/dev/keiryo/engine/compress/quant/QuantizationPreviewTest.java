package dev.keiryo.engine.compress.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.compress.pack.PackOptions;
import dev.keiryo.engine.compress.pack.PackWriter;
import dev.keiryo.engine.data.DataBundle;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Normalization;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.model.ModelSpec;
import dev.keiryo.engine.model.Preset;
import dev.keiryo.engine.model.WeightHistogram;
import dev.keiryo.engine.preview.PreviewSubset;
import dev.keiryo.engine.train.TrainSettings;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class QuantizationPreviewTest {
    private static DataBundle data;
    private static KeiryoModel model;

    @BeforeAll
    static void setUp() {
        data = DataSources.sample();
        InputShape in = new InputShape(1, 28, 28);
        MultiLayerNetwork net = ModelFactory.build(ModelSpec.of(Preset.LENET300), in, 10, TrainSettings.defaults());
        model = new KeiryoModel(net, new ModelMeta(1, "lenet300", in, false, 10, List.of(),
                Normalization.fit(Normalization.Kind.SCALE, data.train())));
    }

    @Test
    void previewMatchesReallyQuantizingAndLeavesTheModelAlone() {
        INDArray before = model.net().params().dup();
        QuantSpec spec = QuantSpec.affine(4).withPerChannel(true);
        try (QuantizationPreview preview = new QuantizationPreview(model, data.test(), 500)) {
            QuantizationPreview.Result r = preview.evaluate(spec, () -> false);
            MultiLayerNetwork q = Quantizer.quantize(model.net(), spec);
            assertEquals(new PreviewSubset(data.test(), model.meta(), 500).accuracy(q, () -> false), r.accuracy(), 1e-12);
            long real = PackWriter.measure(model, Quantizer.packOptions(PackOptions.defaults(), spec)).totalBytes();
            assertEquals(real, r.fileBytes(), "the preview's size is the packed file's size");
            assertTrue(r.ratio() > 6, "4-bit codes are several times smaller than float32: " + r.ratio());
            assertSame(r, preview.evaluate(spec, () -> false), "a setting seen before is not computed again");
            assertNull(preview.evaluate(QuantSpec.affine(3), () -> true), "a superseded request gives no result");
        }
        assertEquals(before, model.net().params());
    }

    @Test
    void backgroundRequestsDeliverTheNewest() throws Exception {
        try (QuantizationPreview preview = new QuantizationPreview(model, data.test(), 250)) {
            CompletableFuture<QuantizationPreview.Result> last = new CompletableFuture<>();
            for (int bits = 2; bits <= 8; bits++) {
                int b = bits;
                preview.submit(QuantSpec.affine(bits), r -> {
                    if (r.spec().bits() == 8) {
                        last.complete(r);
                    }
                }, last::completeExceptionally);
                assertTrue(b <= 8);
            }
            assertEquals(8, last.get(60, TimeUnit.SECONDS).spec().bits());
        }
    }

    @Test
    void weightHistogramCountsEveryWeightOnceWithZerosApart() {
        MultiLayerNetwork net = model.net().clone();
        net.getLayer(0).getParam("W").getRow(0).assign(0);
        WeightHistogram h = WeightHistogram.of(net, 0, 40);
        assertEquals(net.getLayer(0).getParam("W").length(), h.total());
        assertTrue(h.zeros() >= net.getLayer(0).getParam("W").columns());
        WeightHistogram all = WeightHistogram.of(net, -1, 10);
        long weights = 0;
        for (int i = 0; i < net.getnLayers(); i++) {
            weights += net.getLayer(i).getParam("W").length();
        }
        assertEquals(weights, all.total());
        assertTrue(all.min() < 0 && all.max() > 0);
        float[] mags = WeightHistogram.sortedMagnitudes(net);
        assertEquals(weights, mags.length);
        assertEquals(0f, mags[0]);
        assertEquals(Math.max(-all.min(), all.max()), mags[mags.length - 1], 1e-6);
    }
}
