package dev.keiryo.engine.compress.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.QuantPreviewResult;
import dev.keiryo.engine.api.compress.QuantSpec;
import dev.keiryo.engine.compress.pack.PackOptions;
import dev.keiryo.engine.compress.pack.PackWriter;
import dev.keiryo.engine.data.DataBundle;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.preview.PreviewSubset;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The bit-width preview gives the accuracy and the exact file size of really quantizing, and changes nothing. */
class QuantizationPreviewTest {
    private static DataBundle data;
    private static KeiryoModel model;

    @BeforeAll
    static void setUp() {
        data = DataSources.sample();
        model = QuantizerTest.model(ArchitecturePreset.LENET5);
    }

    static List<QuantSpec> specs() {
        return List.of(
                QuantSpec.affine(8).withPerChannel(true),
                QuantSpec.affine(3).withSymmetric(false),
                QuantSpec.binary(),
                QuantSpec.ternary().withPerChannel(true),
                QuantSpec.codebook(4).withHuffman(true),
                QuantSpec.affine(6).withParams(Set.of("W", "b")),
                QuantSpec.half());
    }

    @ParameterizedTest
    @MethodSource("specs")
    void matchesReallyQuantizingAndLeavesTheModelAlone(QuantSpec spec) {
        INDArray before = model.net().params().dup();
        PreviewSubset subset = new PreviewSubset(data.test(), model.meta(), 300);
        try (QuantizationPreview preview = new QuantizationPreview(model, data.test(), 300)) {
            QuantPreviewResult r = preview.evaluate(spec, () -> false);
            assertEquals(subset.accuracy(Quantizer.quantize(model.net(), spec), () -> false), r.accuracy(), 1e-12);
            long real = PackWriter.measure(model, Quantizer.packOptions(PackOptions.defaults(), spec))
                    .totalBytes();
            assertEquals(real, r.fileBytes(), "the preview's size is the packed file's size");
            assertEquals(300, r.examples());
            assertSame(r, preview.evaluate(spec, () -> false), "a setting seen before is not computed again");
        }
        assertEquals(before, model.net().params());
    }

    @Test
    void aPrunedModelsZerosMakeItsQuantizedFileSmallerAndThePreviewSaysSo(@TempDir Path dir) throws Exception {
        KeiryoModel pruned = new KeiryoModel(model.net().clone(), model.meta());
        for (int i = 0; i < dev.keiryo.engine.model.Layers.count(pruned.net()); i++) {
            INDArray w = dev.keiryo.engine.model.Layers.at(pruned.net(), i).getParam("W");
            if (w == null) {
                continue;
            }
            // two weights in three zero, as 66% pruning leaves a layer
            float[] v = org.nd4j.linalg.factory.Nd4j.toFlattened('c', w).toFloatVector();
            for (int k = 0; k < v.length; k++) {
                if (k % 3 != 0) {
                    v[k] = 0f;
                }
            }
            w.assign(org.nd4j.linalg.factory.Nd4j.create(v, w.shape(), 'c'));
        }
        QuantSpec dense = QuantSpec.affine(4).withPerChannel(true);
        QuantSpec sparse = dense.withSparse(true);
        long plain = fileSize(pruned, dense, dir.resolve("dense.kpack"));
        long compact = fileSize(pruned, sparse, dir.resolve("sparse.kpack"));
        assertTrue(compact < 0.75 * plain, compact + " bytes sparse vs " + plain + " dense");
        assertEquals(
                Quantizer.quantize(pruned.net(), dense).params(),
                dev.keiryo.engine.compress.pack.PackReader.read(dir.resolve("sparse.kpack"))
                        .net()
                        .params(),
                "the smaller file holds the same quantized values");
        try (QuantizationPreview preview = new QuantizationPreview(pruned, data.test(), 100)) {
            assertEquals(compact, preview.evaluate(sparse, () -> false).fileBytes());
        }
        assertTrue(
                fileSize(model, sparse, dir.resolve("unpruned.kpack"))
                        <= fileSize(model, dense, dir.resolve("unpruned-dense.kpack")),
                "a dense model's file never grows");
    }

    private static long fileSize(KeiryoModel m, QuantSpec spec, Path file) throws java.io.IOException {
        PackWriter.write(m, file, Quantizer.packOptions(PackOptions.defaults(), spec));
        return java.nio.file.Files.size(file);
    }

    @Test
    void supersededRequestsGiveNothingAndBadSpecsFailClearly() throws Exception {
        try (QuantizationPreview preview = new QuantizationPreview(model, data.test(), 300)) {
            assertNull(preview.evaluate(QuantSpec.affine(4), () -> true));
            KeiryoException e = assertThrows(
                    KeiryoException.class,
                    () -> preview.evaluate(
                            QuantSpec.affine(4).withPerChannel(true).withParams(Set.of("b")), () -> false));
            assertTrue(e.getMessage().contains("per-channel"), e.getMessage());
            CompletableFuture<QuantPreviewResult> last = new CompletableFuture<>();
            for (int bits = 2; bits <= 8; bits++) {
                preview.submit(
                        QuantSpec.affine(bits),
                        r -> {
                            if (r.spec().bits() == 8) {
                                last.complete(r);
                            }
                        },
                        last::completeExceptionally);
            }
            assertEquals(8, last.get(60, TimeUnit.SECONDS).spec().bits(), "the newest request is always delivered");
        }
    }
}
