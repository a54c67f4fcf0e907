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
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
