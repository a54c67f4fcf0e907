package dev.keiryo.engine.compress.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.QuantSpec;
import dev.keiryo.engine.compress.pack.PackOptions;
import dev.keiryo.engine.compress.pack.PackReader;
import dev.keiryo.engine.compress.pack.PackReport;
import dev.keiryo.engine.compress.pack.PackWriter;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.BatchNormFolding;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.Layers;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.train.TrainSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Post-training quantization: validation, and packed files that compute exactly what the quantized network does. */
class QuantizerTest {
    private static final InputShape MNIST = new InputShape(1, 28, 28);

    @TempDir
    Path dir;

    static KeiryoModel model(ArchitecturePreset preset) {
        ComputationGraph net = ModelFactory.build(Architecture.of(preset), MNIST, 10, TrainSettings.defaults());
        return new KeiryoModel(
                net,
                new ModelMeta(
                        ModelMeta.FORMAT_VERSION,
                        preset.id(),
                        MNIST,
                        preset.convolutional(),
                        10,
                        List.of("a", "b"),
                        Normalizer.scale(255f)));
    }

    static INDArray input(ArchitecturePreset preset) {
        Nd4j.getRandom().setSeed(7);
        return preset.convolutional() ? Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28) : Nd4j.rand(DataType.FLOAT, 4, 784);
    }

    /** Sizes go to the file named by -Dkeiryo.pack.sizes, since Surefire drops test output. */
    static void publish(String key, PackReport r) throws IOException {
        String out = System.getProperty("keiryo.pack.sizes");
        if (out != null) {
            Files.writeString(
                    Path.of(out),
                    String.format(
                            "%s: %d bytes, float32 %d bytes, %.2fx smaller%n",
                            key, r.totalBytes(), r.float32Bytes(), r.ratio()),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    @Test
    void invalidSpecsAreRejectedInOneSentence() {
        KeiryoException e = assertThrows(KeiryoException.class, () -> QuantSpec.affine(33));
        assertEquals("bits must be 1..16 (was 33).", e.getMessage());
        assertEquals(
                "bits must be 1..16 (was 0).",
                assertThrows(KeiryoException.class, () -> QuantSpec.affine(0)).getMessage());
        assertThrows(KeiryoException.class, () -> QuantSpec.affine(1));
        assertThrows(KeiryoException.class, () -> QuantSpec.codebook(9));
        assertThrows(KeiryoException.class, () -> QuantSpec.codebook(5).withPerChannel(true));
        assertThrows(KeiryoException.class, () -> QuantSpec.half().withSparse(true));
        ComputationGraph net = model(ArchitecturePreset.LENET300).net();
        QuantSpec biases = QuantSpec.affine(8).withPerChannel(true).withParams(Set.of("W", "b"));
        String msg = assertThrows(KeiryoException.class, () -> Quantizer.quantize(net, biases))
                .getMessage();
        assertTrue(msg.contains("dense1_b") && msg.endsWith("."), msg);
        // Per tensor, biases may be quantized when asked for.
        Quantizer.quantize(net, QuantSpec.affine(8).withParams(Set.of("W", "b")));
    }

    @Test
    void onlyTheSelectedParametersChangeAfterBatchNormIsFolded() {
        ComputationGraph net = model(ArchitecturePreset.TEACHER).net();
        ComputationGraph q = Quantizer.quantize(net, QuantSpec.affine(4).withPerChannel(true));
        ComputationGraph folded = BatchNormFolding.fold(net);
        assertEquals(Layers.names(folded), Layers.names(q), "quantization runs on the folded network");
        assertTrue(Layers.names(q).stream().noneMatch(n -> n.startsWith("bn")));
        for (Map.Entry<String, INDArray> e : folded.paramTable().entrySet()) {
            INDArray after = q.getParam(e.getKey());
            if (e.getKey().endsWith("_W")) {
                assertNotEquals(e.getValue(), after, e.getKey());
            } else {
                assertEquals(e.getValue(), after, e.getKey() + " stays float32");
            }
        }
    }

    @Test
    void quantizedLeNet5PacksToExactlyItsQuantizedOutputsAtAQuarterOfTheSize() throws IOException {
        KeiryoModel m = model(ArchitecturePreset.LENET5);
        INDArray x = input(ArchitecturePreset.LENET5);
        QuantSpec spec = QuantSpec.affine(8).withPerChannel(true);
        ComputationGraph q = Quantizer.quantize(m.net(), spec);
        Path f = dir.resolve("lenet5-q8.kpack");
        PackReport r = PackWriter.write(m, f, Quantizer.packOptions(PackOptions.defaults(), spec));
        assertEquals(Files.size(f), r.totalBytes());
        KeiryoModel back = PackReader.read(f);
        assertParamsAndOutputsIdentical(q, back.net(), x);
        // Writing the already-quantized network gives the same file contents: symmetric codes are stable.
        KeiryoModel again = PackReader.read(write(new KeiryoModel(q, m.meta()), "again.kpack", spec));
        assertParamsAndOutputsIdentical(q, again.net(), x);
        publish("lenet5 affine-8 per-channel", r);
        assertTrue(r.ratio() > 3.7 && r.ratio() < 4.0, "ratio " + r.ratio());
    }

    @Test
    void everyModeRoundTripsThroughTheFile() {
        KeiryoModel m = model(ArchitecturePreset.LENET5);
        INDArray x = input(ArchitecturePreset.LENET5);
        for (QuantSpec spec : new QuantSpec[] {
            QuantSpec.affine(4).withSymmetric(false),
            QuantSpec.affine(16).withPerChannel(true),
            QuantSpec.binary().withPerChannel(true),
            QuantSpec.ternary(),
            QuantSpec.codebook(3),
            QuantSpec.codebook(6).withSparse(true).withHuffman(true),
            QuantSpec.affine(5).withHuffman(true)
        }) {
            ComputationGraph q = Quantizer.quantize(m.net(), spec);
            KeiryoModel back = PackReader.read(write(m, spec.toString().hashCode() + ".kpack", spec));
            assertParamsAndOutputsIdentical(q, back.net(), x);
        }
    }

    @Test
    void prunedCodebookHuffmanLeNet300IsThirtyTimesSmaller() throws IOException {
        KeiryoModel m = pruned(model(ArchitecturePreset.LENET300), 0.9, 3);
        QuantSpec spec = QuantSpec.codebook(5).withSparse(true).withHuffman(true);
        ComputationGraph q = Quantizer.quantize(m.net(), spec);
        Path f = write(m, "lenet300-p90-cb5-huff.kpack", spec);
        PackReport r = PackWriter.measure(m, Quantizer.packOptions(PackOptions.defaults(), spec));
        assertEquals(Files.size(f), r.totalBytes());
        assertParamsAndOutputsIdentical(q, PackReader.read(f).net(), input(ArchitecturePreset.LENET300));
        PackReport plain =
                PackWriter.measure(m, Quantizer.packOptions(PackOptions.defaults(), spec.withHuffman(false)));
        publish("lenet300 pruned90 codebook-5 sparse", plain);
        publish("lenet300 pruned90 codebook-5 sparse huffman", r);
        assertTrue(r.totalBytes() < plain.totalBytes());
        assertTrue(r.ratio() >= 30, "ratio " + r.ratio());
    }

    private Path write(KeiryoModel m, String name, QuantSpec spec) {
        Path f = dir.resolve(name);
        PackWriter.write(m, f, Quantizer.packOptions(PackOptions.defaults(), spec));
        return f;
    }

    /** Random magnitude pruning: a random {@code zeros} fraction of every weight matrix set to zero. */
    static KeiryoModel pruned(KeiryoModel m, double zeros, long seed) {
        ComputationGraph net = m.net().clone();
        Random r = new Random(seed);
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            if (e.getKey().endsWith("_W")) {
                INDArray w = e.getValue();
                float[] v = Nd4j.toFlattened('c', w).reshape(w.length()).toFloatVector();
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.nextDouble() < zeros ? 0f : v[i];
                }
                w.assign(Nd4j.create(v, w.shape(), 'c'));
            }
        }
        return new KeiryoModel(net, m.meta());
    }

    static void assertParamsAndOutputsIdentical(ComputationGraph expected, ComputationGraph actual, INDArray x) {
        for (String k : expected.paramTable().keySet()) {
            assertArrayEquals(bits(expected.getParam(k)), bits(actual.getParam(k)), "parameter " + k);
        }
        assertArrayEquals(bits(expected.outputSingle(x)), bits(actual.outputSingle(x)), "outputs");
    }

    /** Raw float bits, a zero's sign aside (sparse encodings store zeros as +0.0). */
    static int[] bits(INDArray a) {
        float[] f = Nd4j.toFlattened('c', a)
                .castTo(DataType.FLOAT)
                .reshape(a.length())
                .toFloatVector();
        return Arrays.stream(toInts(f)).map(b -> b == 0x8000_0000 ? 0 : b).toArray();
    }

    private static int[] toInts(float[] f) {
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }
}
