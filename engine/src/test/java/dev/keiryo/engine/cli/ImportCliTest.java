package dev.keiryo.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.compress.distill.TeacherOutputs;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelIO;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/** {@code keiryo import}: an ONNX classifier becomes a run folder with the model and its evaluation. */
class ImportCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Path fixture(String file) throws URISyntaxException {
        return Path.of(ImportCliTest.class.getResource("/onnx/" + file).toURI());
    }

    /** Rows of the 20 features the MLP fixture takes, with labels class0..class9 in turn. */
    private Path csv(String name, int rows, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < 20; j++) {
            b.append('f').append(j).append(',');
        }
        b.append("label\n");
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < 20; j++) {
                b.append(String.format(java.util.Locale.ROOT, "%.3f,", r.nextGaussian()));
            }
            b.append("class").append(i % 10).append('\n');
        }
        return Files.writeString(dir.resolve(name), b);
    }

    @Test
    void importWritesARunWithTheModelItsEvaluationAndTheDatasClasses() throws Exception {
        Path runs = dir.resolve("runs");
        String[] data = {
            "--source",
            "csv",
            "--data",
            csv("train.csv", 60, 1).toString(),
            "--test-data",
            csv("test.csv", 30, 2).toString(),
            "--no-latency",
            "--json",
            "--runs",
            runs.toString()
        };
        CliTest.Result r = keiryo(data, "import", fixture("mlp.onnx").toString(), "--normalization", "none");
        assertEquals(ExitCode.OK, r.code(), r.toString());
        List<String> lines = r.outLines();
        JsonNode result = JSON.readTree(lines.get(lines.size() - 1));
        Path model = Path.of(result.get("modelFile").asText());
        assertTrue(model.endsWith(Path.of("models", "model.zip")), model.toString());
        assertTrue(model.getParent().getParent().getFileName().toString().endsWith("import-mlp"), model.toString());
        double accuracy = result.get("testAccuracy").asDouble(-1);
        assertTrue(accuracy >= 0 && accuracy <= 1, r.out());
        assertTrue(Files.isRegularFile(model.getParent().getParent().resolve("summary.json")));

        // The saved model is the imported one: PyTorch's logits for the fixture's inputs, and the data's classes.
        KeiryoModel m = ModelIO.load(model);
        JsonNode expected = JSON.readTree(fixture("mlp.json").toFile());
        float[] x = new float[expected.get("inputs").size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) expected.get("inputs").get(i).asDouble();
        }
        float[] logits = TeacherOutputs.logits(m.net(), Nd4j.create(x, new long[] {x.length / 20, 20}, 'c'))
                .data()
                .asFloat();
        for (int i = 0; i < logits.length; i++) {
            assertEquals(expected.get("logits").get(i).asDouble(), logits[i], 1e-4, "logit " + i);
        }
        assertEquals("onnx", m.meta().preset());
        assertEquals(
                List.of("class0", "class1", "class2"), m.meta().classNames().subList(0, 3));
        assertEquals(10, m.meta().numClasses());
        assertEquals("none", m.meta().normalization().kind().id());

        // The steps take it as they take a model Keiryo trained, packed variants included.
        CliTest.Result pruned = keiryo(data, "prune", model.toString(), "--mode", "connection", "--sparsity", "0.5");
        assertEquals(ExitCode.OK, pruned.code(), pruned.toString());
        CliTest.Result quantized = keiryo(data, "quantize", model.toString(), "--mode", "affine", "--bits", "8");
        assertEquals(ExitCode.OK, quantized.code(), quantized.toString());
        JsonNode variants = JSON.readTree(last(quantized)).get("variants");
        assertTrue(variants.size() >= 2, quantized.out());
    }

    private static String last(CliTest.Result r) {
        List<String> lines = r.outLines();
        return lines.get(lines.size() - 1);
    }

    private static CliTest.Result keiryo(String[] common, String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + common.length);
        System.arraycopy(common, 0, all, args.length, common.length);
        return CliTest.keiryo(all);
    }

    private void assertRefused(CliTest.Result r, String... fragments) throws IOException {
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        for (String f : fragments) {
            assertTrue(lines.get(0).contains(f), "'" + f + "' missing from: " + lines.get(0));
        }
        assertFalse(r.err().contains("\tat "), r.err());
        Path runs = dir.resolve("runs");
        if (Files.exists(runs)) {
            try (Stream<Path> s = Files.list(runs)) {
                assertEquals(List.of(), s.toList(), "no run folder");
            }
        }
    }

    private CliTest.Result importing(Path file) {
        return CliTest.keiryo(
                "import", file.toString(), "--runs", dir.resolve("runs").toString());
    }

    @Test
    void aModelThatDoesNotFitTheDataIsRefusedBeforeAnyRunFolder() throws Exception {
        // The LeNet fixture takes 1x16x16 images; the bundled sample is 1x28x28.
        assertRefused(importing(fixture("lenet5.onnx")), "lenet5.onnx", "1x16x16", "1x28x28");
    }

    @Test
    void anUnimportableModelIsRefusedBeforeAnyRunFolder() throws Exception {
        assertRefused(importing(fixture("two_inputs.onnx")), "two_inputs.onnx", "2 inputs");
    }

    @Test
    void aKerasModelImportsLikeAnOnnxOne() throws Exception {
        // The Keras MLP fixture takes 10 features and tells 4 classes.
        Random r = new Random(3);
        StringBuilder b = new StringBuilder("f0,f1,f2,f3,f4,f5,f6,f7,f8,f9,label\n");
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 10; j++) {
                b.append(String.format(java.util.Locale.ROOT, "%.3f,", r.nextGaussian()));
            }
            b.append("k").append(i % 4).append('\n');
        }
        Path data = Files.writeString(dir.resolve("k.csv"), b);
        Path h5 = Path.of(ImportCliTest.class.getResource("/keras/mlp.h5").toURI());
        CliTest.Result res = CliTest.keiryo(
                "import",
                h5.toString(),
                "--source",
                "csv",
                "--data",
                data.toString(),
                "--normalization",
                "none",
                "--no-latency",
                "--json",
                "--runs",
                dir.resolve("runs").toString());
        assertEquals(ExitCode.OK, res.code(), res.toString());
        KeiryoModel m =
                ModelIO.load(Path.of(JSON.readTree(last(res)).get("modelFile").asText()));
        assertEquals("keras", m.meta().preset());
        assertEquals(List.of("k0", "k1", "k2", "k3"), m.meta().classNames());

        JsonNode expected = JSON.readTree(Path.of(ImportCliTest.class
                        .getResource("/keras/mlp.expected.json")
                        .toURI())
                .toFile());
        JsonNode in = expected.get("input");
        float[] x = new float[in.size() * 10];
        for (int i = 0; i < in.size(); i++) {
            for (int j = 0; j < 10; j++) {
                x[i * 10 + j] = (float) in.get(i).get(j).asDouble();
            }
        }
        float[] out = m.net()
                .outputSingle(Nd4j.create(x, new long[] {in.size(), 10}, 'c'))
                .data()
                .asFloat();
        for (int i = 0; i < out.length; i++) {
            assertEquals(expected.get("output").get(i / 4).get(i % 4).asDouble(), out[i], 1e-4, "output " + i);
        }
    }

    @Test
    void aBrokenKerasFileIsRefusedBeforeAnyRunFolder() throws IOException {
        Path h5 = Files.write(dir.resolve("model.h5"), new byte[] {1, 2, 3});
        assertRefused(importing(h5), "model.h5");
    }

    @Test
    void aKeiryoModelNeedsNoImport() throws IOException {
        Path zip = Files.write(dir.resolve("model.zip"), new byte[] {1, 2, 3});
        assertRefused(importing(zip), "model.zip", "imports ONNX (.onnx) and Keras (.h5) models");
    }
}
