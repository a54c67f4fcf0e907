package dev.keiryo.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.data.Normalizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files Keiryo cannot import are refused in one sentence that names the file and, where there is one, the node. */
class OnnxImportErrorsTest {
    @TempDir
    Path dir;

    private static String refusal(Path file) {
        KeiryoException e =
                assertThrows(KeiryoException.class, () -> OnnxImporter.read(file, List.of(), Normalizer.none()));
        String m = e.getMessage();
        assertTrue(m.contains(String.valueOf(file.getFileName())), "names the file: " + m);
        assertTrue(m.endsWith(".") && !m.contains("\n"), "one sentence: " + m);
        return m;
    }

    @Test
    void aDilatedConvolutionNamesTheNodeTheOperatorAndWhatIsSupported() {
        String m = refusal(OnnxFixtures.model("dilated_conv"));
        assertTrue(m.contains("(Conv)") && m.contains("dilations [2, 2]") && m.contains("dilation 1"), m);
    }

    @Test
    void anUnsupportedOperatorListsWhatIsSupported() throws IOException {
        // The LeNet fixture with its Relu renamed to an operator of the same length that Keiryo lacks.
        byte[] b = Files.readAllBytes(OnnxFixtures.model("lenet5"));
        String s = new String(b, StandardCharsets.ISO_8859_1).replace("\"\u0004Relu", "\"\u0004Celu");
        Path f = dir.resolve("celu.onnx");
        Files.write(f, s.getBytes(StandardCharsets.ISO_8859_1));
        String m = refusal(f);
        assertTrue(m.contains("(Celu) is an operator Keiryo does not import") && m.contains("Conv (group 1"), m);
    }

    @Test
    void aModelWithTwoInputs() {
        String m = refusal(OnnxFixtures.model("two_inputs"));
        assertTrue(m.contains("has 2 inputs (x, y)") && m.contains("one input"), m);
    }

    @Test
    void aRegressionModel() {
        String m = refusal(OnnxFixtures.model("regression"));
        assertTrue(m.contains("1 value per example") && m.contains("regression"), m);
    }

    @Test
    void aTruncatedFile() throws IOException {
        byte[] b = Files.readAllBytes(OnnxFixtures.model("resnet_bn"));
        for (int cut : new int[] {b.length / 2, b.length - 7, 40}) {
            Path f = dir.resolve("cut" + cut + ".onnx");
            Files.write(f, Arrays.copyOf(b, cut));
            String m = refusal(f);
            assertTrue(m.contains("cut short"), m);
        }
    }

    @Test
    void aFileThatIsNotOnnx() throws IOException {
        Path text = dir.resolve("notes.onnx");
        Files.writeString(text, "conv1: 20 filters, then pooling\n");
        assertTrue(refusal(text).contains("ONNX"));
        Path random = dir.resolve("random.onnx");
        byte[] noise = new byte[4096];
        new java.util.Random(7).nextBytes(noise);
        Files.write(random, noise);
        assertTrue(refusal(random).contains("ONNX"));
    }

    @Test
    void aMissingFile() {
        assertTrue(refusal(dir.resolve("absent.onnx")).contains("does not exist"));
    }

    // Found by the reader fuzzer: a tensor's shape was believed and allocated before its values were counted.
    @Test
    void aTensorWhoseShapeDeclaresMoreValuesThanItHoldsIsRefusedBeforeAllocating() throws IOException {
        onnx.Onnx.ModelProto m = onnx.Onnx.ModelProto.parseFrom(Files.readAllBytes(OnnxFixtures.model("mlp")));
        onnx.Onnx.ModelProto.Builder b = m.toBuilder();
        onnx.Onnx.TensorProto.Builder t = b.getGraphBuilder().getInitializerBuilder(0);
        String name = t.getName();
        t.clearDims().addDims(30_000).addDims(30_000);
        Path f = dir.resolve("liar.onnx");
        Files.write(f, b.build().toByteArray());
        long before = allocated();

        String msg = refusal(f);

        assertTrue(msg.contains("(" + name + ") declares 900000000 values but holds"), msg);
        assertTrue(allocated() - before < (64 << 20), "allocated " + (allocated() - before) + " bytes");
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
