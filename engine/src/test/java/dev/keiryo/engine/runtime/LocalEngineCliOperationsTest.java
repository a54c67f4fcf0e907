package dev.keiryo.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.backend.Backend;
import dev.keiryo.engine.api.backend.SystemInfo;
import dev.keiryo.engine.api.backend.Versions;
import dev.keiryo.engine.api.bench.BenchRequest;
import dev.keiryo.engine.api.bench.BenchRow;
import dev.keiryo.engine.api.bench.SpeedRow;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.model.ExportRequest;
import dev.keiryo.engine.api.model.ModelDescription;
import dev.keiryo.engine.api.run.EvalReport;
import dev.keiryo.engine.api.run.EvalRequest;
import dev.keiryo.engine.api.run.RunResult;
import dev.keiryo.engine.api.run.TrainOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operations the command line asks of the engine, answered in API types with the engine's real values. */
class LocalEngineCliOperationsTest {
    @TempDir
    static Path dir;

    private static Path runs;
    private static Path testCsv;
    private static RunResult trained;

    /** One tiny CSV run (two features, three classes far apart) that the model and eval tests look at. */
    @BeforeAll
    static void trainOnATinyCsv() throws IOException {
        Path trainCsv = Files.writeString(dir.resolve("train.csv"), csv(60, 1));
        testCsv = Files.writeString(dir.resolve("test.csv"), csv(37, 2));
        runs = dir.resolve("runs");
        Experiment d = Experiment.defaults();
        Experiment exp = d.withName("tiny")
                .withData(d.data().withSource(DataSpec.Source.CSV).withPath(trainCsv.toString()))
                .withModel(d.model().withPreset(ModelSpec.Preset.MLP).withHidden(List.of(8)))
                .withTrain(d.train().withEpochs(1).withBatchSize(16))
                .withEval(d.eval().withLatency(false));
        trained = Engine.local().train(runs, exp, null, null);
    }

    private static String csv(int n, long seed) {
        Random random = new Random(seed);
        List<String> names = List.of("cat", "dog", "emu");
        StringBuilder b = new StringBuilder("x,y,animal\n");
        for (int i = 0; i < n; i++) {
            int k = i % 3;
            b.append(String.format(
                    Locale.ROOT,
                    "%.3f,%.3f,%s%n",
                    k * 5 + random.nextDouble(),
                    -k * 5 + random.nextDouble(),
                    names.get(k)));
        }
        return b.toString();
    }

    @Test
    void versionsAreThoseOfThisJava() {
        Versions v = Engine.local().versions();
        assertEquals(System.getProperty("java.version"), v.java());
        assertFalse(v.keiryo().isBlank());
        assertTrue(v.dl4j().startsWith("1.0.0"), v.dl4j());
    }

    @Test
    void systemInfoDescribesTheCpuBackendAndItsDevices() {
        SystemInfo info = Engine.local().systemInfo();
        Backend b = info.backend();
        assertEquals("CPU", b.backend());
        assertEquals(Integer.toString(b.cpuCores()), b.facts().get("cpuCores"));
        assertEquals("cpu", b.devices().get(0).id());
        assertEquals(
                b.cpuCores() + " cores, " + b.nativeBuild(), b.devices().get(0).name());
        assertTrue(b.devices().get(0).isCpu());
        assertEquals(b.nativeBuild(), b.facts().get("nativeBuild"));
        assertEquals(Boolean.toString(b.helpersActive()), b.facts().get("helpersActive"));
        assertFalse(b.cudaUsable(), "this build has no CUDA backend");
        assertTrue(b.cudaReason().contains("CUDA"), b.cudaReason());
        assertEquals(System.getProperty("java.version"), info.javaVersion());
    }

    @Test
    void trainingWritesARunFolderUnderTheGivenRoot() {
        assertEquals(TrainOutcome.COMPLETED, trained.training().outcome());
        assertTrue(trained.runDir().startsWith(runs), trained.runDir().toString());
        assertTrue(Files.isRegularFile(trained.modelFile()), trained.modelFile().toString());
        assertEquals(
                "tiny",
                Engine.local()
                        .runExperiment(runs, trained.runDir().getFileName())
                        .name(),
                "a run folder's name is looked up under the root");
    }

    @Test
    void aCompleteRunIsNotResumed() {
        KeiryoException e = assertThrows(
                KeiryoException.class, () -> Engine.local().resumeTraining(runs, trained.runDir(), null, null));
        assertTrue(e.getMessage().contains("already complete"), e.getMessage());
    }

    @Test
    void aSavedModelIsDescribedWithItsMetaAndLayers() throws IOException {
        ModelDescription m = Engine.local().describeModel(trained.modelFile());
        assertEquals(Files.size(trained.modelFile()), m.fileBytes());
        assertFalse(m.packed(), "model.zip is a training zip");
        // 2 inputs -> 8 hidden -> 3 classes: (2*8 + 8) + (8*3 + 3)
        assertEquals(51, m.stats().parameters());
        assertEquals(trained.model().parameters(), m.stats().parameters());
        assertEquals("mlp", m.meta().preset());
        assertEquals(List.of("cat", "dog", "emu"), m.meta().classNames());
        assertEquals(new ModelDescription.Input(1, 1, 2), m.meta().input());
        assertEquals("scale", m.meta().normalization().kind());
        assertNull(m.meta().normalization().mean(), "scale has no per-feature means");
    }

    @Test
    void aCsvTestFileIsEvaluatedWholeWithTheModelsClasses() {
        EvalReport r = Engine.local().evaluate(trained.modelFile(), new EvalRequest("csv", testCsv, null, false));
        assertEquals(37, r.result().examples(), "every row of the file");
        assertEquals(List.of("cat", "dog", "emu"), r.classNames());
        long confused = Arrays.stream(r.result().confusion())
                .flatMapToLong(Arrays::stream)
                .sum();
        assertEquals(37, confused);
        assertEquals(List.of(), r.latency(), "latency not asked for");
    }

    @Test
    void logitsAreWrittenPerTestExampleAndPredictWhatTheEvaluationCounted() throws IOException {
        Path logits = dir.resolve("logits.csv");
        EvalReport r =
                Engine.local().evaluate(trained.modelFile(), new EvalRequest("csv", testCsv, null, false, logits));
        List<String> rows = Files.readAllLines(logits);
        assertEquals(37, rows.size(), "one row per test example");
        long[] predicted = new long[3];
        for (String row : rows) {
            String[] z = row.split(",", -1);
            assertEquals(3, z.length, row);
            int best = 0;
            for (int c = 1; c < z.length; c++) {
                best = Float.parseFloat(z[c]) > Float.parseFloat(z[best]) ? c : best;
            }
            predicted[best]++;
        }
        long[] counted = new long[3];
        for (long[] actual : r.result().confusion()) {
            for (int c = 0; c < 3; c++) {
                counted[c] += actual[c];
            }
        }
        assertEquals(Arrays.toString(counted), Arrays.toString(predicted), "predictions per class");
    }

    @Test
    void anOnnxFileHasNoLogitsToWrite() {
        Path onnx = dir.resolve("logits-model.onnx");
        Engine.local().export(new ExportRequest(trained.modelFile(), onnx, false, 0, "csv", testCsv));
        KeiryoException e = assertThrows(
                KeiryoException.class,
                () -> Engine.local()
                        .evaluate(onnx, new EvalRequest("csv", testCsv, null, false, dir.resolve("z.csv"))));
        assertTrue(e.getMessage().contains("gives probabilities, not logits"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("z.csv")));
    }

    @Test
    void latencyIsMeasuredAtBatchOneAndOnTheWholeOfASmallSet() {
        Path trainCsv = dir.resolve("train.csv");
        EvalReport r = Engine.local().evaluate(trained.modelFile(), new EvalRequest("csv", trainCsv, "animal", true));
        assertEquals(60, r.result().examples());
        assertEquals(2, r.latency().size(), "batch 1 and a larger batch");
        assertEquals(1, r.latency().get(0).batchSize());
        assertEquals(60, r.latency().get(1).batchSize(), "at most 256, here all 60 rows");
    }

    @Test
    void aSpeedBenchOnTheSampleGivesOneRowPerModel() {
        List<BenchRow> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        BenchRequest request = new BenchRequest(
                null,
                true,
                7,
                null,
                false,
                null,
                false,
                new BenchRequest.Speed(List.of("lenet300"), 1, 2, 1, "float"),
                null);
        Engine.local().bench(request, rows::add, notes::add);
        assertEquals(1, rows.size());
        SpeedRow row = assertInstanceOf(SpeedRow.class, rows.get(0));
        assertEquals(266_610, row.params(), "LeNet-300-100's parameters");
        assertEquals(2, row.iters());
        assertTrue(row.trainSps() > 0 && row.inferSps() > 0, row.toString());
        assertTrue(row.data().contains("sample"), row.data());
        assertEquals(List.of(), notes, "the sample was asked for, so there is nothing to note");
    }

    @Test
    void anUnknownPresetInABenchIsOneSentence() {
        BenchRequest request = new BenchRequest(
                null,
                true,
                7,
                null,
                false,
                null,
                false,
                new BenchRequest.Speed(List.of("resnet"), 1, 1, 1, "float"),
                null);
        KeiryoException e =
                assertThrows(KeiryoException.class, () -> Engine.local().bench(request, r -> {}, n -> {}));
        assertTrue(e.getMessage().contains("resnet"), e.getMessage());
    }

    @Test
    void aSpeedBenchOnSyntheticColourImagesTimesTheModelAtThatShape() {
        List<BenchRow> rows = new ArrayList<>();
        BenchRequest request = new BenchRequest(
                null,
                false,
                7,
                null,
                false,
                null,
                false,
                new BenchRequest.Speed(List.of("lenet5"), 1, 2, 1, "float"),
                "3x32x32");
        Engine.local().bench(request, rows::add, n -> {});
        SpeedRow row = assertInstanceOf(SpeedRow.class, rows.get(0));
        // LeNet-5 on 3x32x32: conv 5x5x3x20 + conv 5x5x20x50 + dense 1250x500 + dense 500x10, with biases.
        assertEquals(1520 + 25_050 + 625_500 + 5_010, row.params());
        assertEquals("cnn", row.model(), "named as in the PyTorch peer");
        assertTrue(row.data().contains("synthetic-3x32x32"), row.data());
    }

    @Test
    void aBadSyntheticShapeIsOneSentence() {
        BenchRequest request = new BenchRequest(
                null,
                false,
                7,
                null,
                false,
                null,
                false,
                new BenchRequest.Speed(List.of("lenet5"), 1, 1, 1, "float"),
                "3x32");
        KeiryoException e =
                assertThrows(KeiryoException.class, () -> Engine.local().bench(request, r -> {}, n -> {}));
        assertTrue(e.getMessage().startsWith("--synthetic must be channels x height x width"), e.getMessage());
    }
}
