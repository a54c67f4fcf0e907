package dev.keiryo.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelIO;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.train.TrainSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/** {@code keiryo export}, and {@code keiryo eval} of what it writes, as a user meets them. */
class ExportCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static Path model;

    /** A LeNet-5 fitted on 600 sample images: built directly, which is much quicker than 'keiryo train'. */
    @BeforeAll
    static void trainOnce() throws IOException {
        Nd4j.getRandom().setSeed(5);
        InputShape in = new InputShape(1, 28, 28);
        ComputationGraph net = ModelFactory.build(
                new Architecture(ArchitecturePreset.LENET5, 0.5, null, 0.0), in, 10, TrainSettings.defaults());
        Dataset train = DataSources.sample().train();
        ModelMeta meta = new ModelMeta(
                ModelMeta.FORMAT_VERSION, "lenet5", in, true, 10, train.classNames(), Normalizer.scale(255f));
        int[] first = new int[600];
        Arrays.setAll(first, i -> i);
        net.fit(ArrayDataSetIterator.builder(train.subset(first))
                .normalization(meta.normalization())
                .batchSize(50)
                .shuffle(false)
                .imageShaped(true)
                .build());
        model = shared.resolve("lenet5.zip");
        ModelIO.save(new KeiryoModel(net, meta), model, false, false);
    }

    private static double accuracy(Path file) throws IOException {
        CliTest.Result r = CliTest.keiryo("eval", "--json", "--no-latency", file.toString());
        assertEquals(ExitCode.OK, r.code(), r.toString());
        return JSON.readTree(r.outLines().get(0)).at("/result/accuracy").asDouble();
    }

    @Test
    void exportedFilesAreEvaluatedLikeTheModelTheyCameFrom() throws IOException {
        Path f32 = dir.resolve("model.onnx");
        Path i8 = dir.resolve("model-int8.onnx");
        CliTest.Result a = CliTest.keiryo("export", model.toString(), "--out", f32.toString());
        assertEquals(ExitCode.OK, a.code(), a.toString());
        assertTrue(a.out().contains("float32") && a.out().contains("Conv x2"), a.out());
        CliTest.Result b = CliTest.keiryo(
                "export", model.toString(), "--format", "onnx-int8", "--calibration", "128", "--out", i8.toString());
        assertEquals(ExitCode.OK, b.code(), b.toString());
        assertTrue(b.out().contains("activation ranges from 128 training examples"), b.out());

        double zip = accuracy(model);
        assertTrue(zip > 0.5, "the model learnt something: " + zip);
        assertEquals(zip, accuracy(f32), 0.001, "ONNX Runtime scores the float export as Keiryo scores the model");
        assertEquals(zip, accuracy(i8), 0.02, "the int8 export stays close");

        CliTest.Result timed = CliTest.keiryo("eval", i8.toString());
        assertEquals(ExitCode.OK, timed.code(), timed.toString());
        assertTrue(timed.out().contains("latency batch 1:") && timed.out().contains("latency batch 256:"), timed.out());
    }

    @Test
    void anExistingOutIsNeverOverwritten() throws IOException {
        Path out = Files.writeString(dir.resolve("taken.onnx"), "keep me");
        CliTest.Result r = CliTest.keiryo("export", model.toString(), "--out", out.toString());
        assertBadInput(r, out.toString(), "already exists");
        assertEquals("keep me", Files.readString(out));
    }

    @Test
    void anUnknownFileIsRefused() throws IOException {
        Path junk = Files.write(dir.resolve("junk.zip"), new byte[] {1, 2, 3, 4});
        Path out = dir.resolve("junk.onnx");
        assertBadInput(
                CliTest.keiryo("export", junk.toString(), "--out", out.toString()),
                junk.toString(),
                "not a readable model");
        assertBadInput(
                CliTest.keiryo("export", dir.resolve("none.zip").toString(), "--out", out.toString()),
                "none.zip",
                "does not exist");
        assertFalse(Files.exists(out));
    }

    @Test
    void anUnsupportedLayerKindIsNamed() throws IOException {
        ComputationGraph rnn = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.recurrent(4))
                .addLayer("lstm", new LSTM.Builder().nOut(3).build(), "input")
                .addLayer("output", new RnnOutputLayer.Builder().nOut(2).build(), "lstm")
                .setOutputs("output")
                .build());
        rnn.init();
        Path file = dir.resolve("rnn.zip");
        ModelIO.save(
                new KeiryoModel(
                        rnn, new ModelMeta(1, "rnn", InputShape.flat(4), false, 2, List.of(), Normalizer.none())),
                file,
                false,
                false);
        Path out = dir.resolve("rnn.onnx");
        assertBadInput(
                CliTest.keiryo("export", file.toString(), "--out", out.toString()),
                "'lstm'",
                "LSTM",
                "does not support");
        assertFalse(Files.exists(out));
    }

    @Test
    void anUnknownFormatIsRefused() {
        assertBadInput(
                CliTest.keiryo("export", model.toString(), "--format", "tflite", "--out", "x.onnx"),
                "tflite",
                "onnx-int8");
    }

    private static void assertBadInput(CliTest.Result r, String... fragments) {
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), "one sentence:\n" + r.err());
        for (String f : fragments) {
            assertTrue(lines.get(0).contains(f), "'" + f + "' missing from: " + lines.get(0));
        }
        assertEquals("", r.out());
    }
}
