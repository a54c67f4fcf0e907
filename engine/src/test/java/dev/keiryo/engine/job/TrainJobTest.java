package dev.keiryo.engine.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.TrainSpec;
import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.RunResult;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainState;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.TrainingListener;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.experiment.MetricsLog;
import dev.keiryo.engine.experiment.RunStore;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelIO;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * End-to-end training jobs on the bundled Fashion-MNIST sample, kept short (a few hundred
 * examples, one or two epochs) so the whole class runs in well under a minute.
 */
class TrainJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static Dataset sampleTest;

    @TempDir
    Path runs;

    @BeforeAll
    static void loadSample() {
        sampleTest = DataSources.sample().test();
    }

    /** A quick experiment on the sample: 600 training examples (540 after the validation split), batch 64. */
    static Experiment quick(String name, ModelSpec.Preset preset, int epochs) {
        Experiment d = Experiment.defaults();
        return d.withName(name)
                .withSeed(7)
                .withData(d.data().withSource(DataSpec.Source.SAMPLE).withLimitTrain(600))
                .withModel(d.model().withPreset(preset))
                .withTrain(d.train().withEpochs(epochs).withBatchSize(64))
                .withEval(d.eval().withLatency(false));
    }

    // ---------------------------------------------------------------- (a) a complete run

    @Test
    void shortLenet300RunWritesACompleteRunFolder() throws Exception {
        Experiment exp = quick("lenet300", ModelSpec.Preset.LENET300, 1)
                .withEval(Experiment.defaults().eval().withLatency(true));
        RunResult job = new TrainJob(new RunStore(runs), null, null).run(exp);

        assertEquals(TrainOutcome.COMPLETED, job.training().outcome());
        assertEquals(1, job.training().state().epochsCompleted());
        assertEquals(9, job.training().state().iterations(), "540 examples in batches of 64");
        assertEquals(runs, job.runDir().getParent());
        assertEquals(List.of(job.runDir()), runFolders(), "exactly one run folder");
        assertRunFolderComplete(job, "lenet300", 1);
        assertEquals(2, job.latency().size(), "latency at batch 1 and a large batch");
        assertTrue(job.latency().get(0).p50Millis() > 0);
    }

    @Test
    void shortLenet5RunWritesACompleteRunFolder() throws Exception {
        RunResult job = new TrainJob(new RunStore(runs), null, null).run(quick("lenet5", ModelSpec.Preset.LENET5, 1));

        assertEquals(TrainOutcome.COMPLETED, job.training().outcome());
        assertRunFolderComplete(job, "lenet5", 1);
        assertTrue(job.model().flopsPerSample() > 1_000_000, "LeNet-5 costs millions of FLOPs per image");
        KeiryoModel saved = ModelIO.load(job.modelFile());
        assertTrue(saved.meta().imageShaped(), "a convolutional model is fed [N, C, H, W]");
    }

    private void assertRunFolderComplete(RunResult job, String preset, int epochs) throws IOException {
        Path dir = job.runDir();

        // experiment.yaml: the experiment as run, readable back
        Experiment stored = new RunStore(runs).open(dir).experiment();
        assertEquals(preset, stored.model().preset().id());
        assertEquals(600, stored.data().limitTrain());
        assertEquals(epochs, stored.train().epochs());

        // provenance.json with the backend that ran it
        JsonNode prov = JSON.readTree(dir.resolve("provenance.json").toFile());
        assertEquals(7, prov.get("seed").asLong());
        assertEquals("CPU", prov.at("/backend/backend").asText());
        assertFalse(prov.at("/backend/nativeBuild").asText().isBlank(), "provenance names the native build: " + prov);
        assertTrue(prov.at("/backend/helpersActive").isTextual(), "provenance says whether helpers are on: " + prov);
        assertFalse(prov.get("dl4jVersion").asText().isBlank());

        // status.json: completed, with the brief summary
        JsonNode status = JSON.readTree(dir.resolve("status.json").toFile());
        assertEquals("completed", status.get("state").asText(), status.toString());
        assertNotNull(status.get("endedAt").textValue());
        assertEquals(epochs, status.at("/summary/epochs").asInt());

        // metrics.csv: header, training rows and the final test rows
        List<String> csv = Files.readAllLines(dir.resolve(MetricsLog.CSV_FILE), StandardCharsets.UTF_8);
        assertEquals(MetricsLog.CSV_HEADER, csv.get(0));
        assertTrue(csv.size() > 10, "metrics.csv has rows: " + csv.size());
        assertEquals(1, csv.stream().filter(MetricsLog.CSV_HEADER::equals).count(), "one header");
        assertTrue(csv.stream().anyMatch(l -> l.contains(",train,loss,")), "per-iteration loss rows");
        assertTrue(csv.stream().anyMatch(l -> l.contains(",validation,accuracy,")), "validation rows");
        assertTrue(csv.stream().anyMatch(l -> l.contains(",test,accuracy,")), "test rows");
        for (String row : csv.subList(1, csv.size())) {
            assertEquals(6, row.split(",", -1).length, "six fields: " + row);
        }

        // summary.json with the test accuracy, above chance (10 classes -> 0.1)
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        double acc = summary.get("testAccuracy").asDouble();
        assertEquals(job.test().accuracy(), acc, 1e-12);
        assertTrue(acc > 0.3, "test accuracy " + acc + " should be well above chance");
        assertEquals(2000, summary.get("testExamples").asLong());
        assertEquals("COMPLETED", summary.get("outcome").asText());
        assertEquals("models/model.zip", summary.get("modelFile").asText());
        assertEquals(epochs, summary.get("history").size());

        // models/model.zip: loadable, with metadata, and it is the model that was evaluated
        Path modelFile = dir.resolve("models/model.zip");
        assertEquals(modelFile, job.modelFile());
        KeiryoModel model = ModelIO.load(modelFile);
        assertNotNull(model.meta(), "the model carries Keiryo metadata");
        assertEquals(preset, model.meta().preset());
        assertEquals(10, model.meta().numClasses());
        assertEquals(Dataset.FASHION_MNIST_CLASSES, model.meta().classNames());
        assertEquals(784, model.meta().input().size());
        assertEquals(Normalizer.Kind.SCALE, model.meta().normalization().kind());
        assertEquals(255f, model.meta().normalization().divisor());
        assertEquals(
                acc,
                EvalJob.evaluate(model, sampleTest, false).result().accuracy(),
                1e-9,
                "the saved model scores what the job reported");

        // checkpoints/last.zip with the training state
        Path checkpoint = dir.resolve("checkpoints/last.zip");
        assertTrue(Files.isRegularFile(checkpoint));
        TrainState state = Checkpoints.readState(checkpoint);
        assertEquals(epochs, state.epochsCompleted());

        // learning-curves.png: a real PNG of some substance
        Path png = dir.resolve("learning-curves.png");
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(PNG_SIGNATURE, java.util.Arrays.copyOf(bytes, 8), "PNG signature");
        assertTrue(bytes.length > 5 * 1024, "learning-curves.png is " + bytes.length + " bytes");

        // no stray temp files left by the atomic writes
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(
                    List.of(),
                    files.filter(p -> p.getFileName().toString().endsWith(".tmp"))
                            .toList());
        }
    }

    // ---------------------------------------------------------------- (b) cancellation and resume

    @Test
    void cancelledRunIsMarkedCancelledAndResumesInTheSameFolder() throws Exception {
        Experiment exp = quick("cancel", ModelSpec.Preset.LENET300, 2);
        CancellationToken token = new CancellationToken();
        AtomicInteger iterations = new AtomicInteger();
        // 9 batches per epoch: cancel during epoch 2, after epoch 1's checkpoint.
        TrainingListener cancelAfter12 = e -> {
            if (e instanceof TrainingEvent.Iteration && iterations.incrementAndGet() == 12) {
                token.cancel();
            }
        };
        RunResult cancelled = new TrainJob(new RunStore(runs), cancelAfter12, token).run(exp);
        Path dir = cancelled.runDir();

        assertEquals(TrainOutcome.CANCELLED, cancelled.training().outcome());
        assertEquals(1, cancelled.training().state().epochsCompleted());
        assertTrue(
                cancelled.training().message().contains("epoch 2"),
                cancelled.training().message());
        assertEquals(12, iterations.get(), "training stopped at the next minibatch boundary");
        assertNull(cancelled.test());
        assertNull(cancelled.modelFile());
        JsonNode status = JSON.readTree(dir.resolve("status.json").toFile());
        assertEquals("cancelled", status.get("state").asText());
        assertFalse(Files.exists(dir.resolve("models/model.zip")), "a cancelled run has no final model");
        assertFalse(Files.exists(dir.resolve("summary.json")));
        assertTrue(Files.isRegularFile(dir.resolve("checkpoints/last.zip")), "epoch 1's checkpoint is kept");
        assertEquals(
                1, Checkpoints.readState(dir.resolve("checkpoints/last.zip")).epochsCompleted());

        List<TrainingEvent> events = new java.util.ArrayList<>();
        RunResult resumed = new TrainJob(new RunStore(runs), events::add, new CancellationToken()).resume(dir);

        assertEquals(dir, resumed.runDir(), "resumed in the same folder");
        assertEquals(List.of(dir), runFolders(), "no new run folder");
        assertEquals(TrainOutcome.COMPLETED, resumed.training().outcome());
        assertEquals(2, resumed.training().state().epochsCompleted(), "reaches the planned epoch count");
        assertEquals(18, resumed.training().state().iterations(), "iteration count continues from the checkpoint");
        assertEquals(2, resumed.training().state().history().size(), "history keeps epoch 1");
        assertTrue(
                events.get(0) instanceof TrainingEvent.Message m && m.text().contains("after epoch 1"),
                events.get(0).toString());
        assertTrue(
                events.stream().noneMatch(e -> e instanceof TrainingEvent.Epoch ep && ep.epoch() == 1),
                "epoch 1 is not trained again");
        assertEquals(
                "completed",
                JSON.readTree(dir.resolve("status.json").toFile()).get("state").asText());
        assertTrue(Files.isRegularFile(dir.resolve("models/model.zip")));
        assertEquals(
                2,
                JSON.readTree(dir.resolve("summary.json").toFile())
                        .get("epochs")
                        .asInt());
        List<String> csv = Files.readAllLines(dir.resolve(MetricsLog.CSV_FILE));
        assertEquals(1, csv.stream().filter(MetricsLog.CSV_HEADER::equals).count(), "metrics.csv appended, one header");

        KeiryoException again =
                assertThrows(KeiryoException.class, () -> new TrainJob(new RunStore(runs), null, null).resume(dir));
        assertTrue(again.getMessage().contains("already complete"), again.getMessage());
    }

    @Test
    void runCancelledBeforeItsFirstCheckpointStartsOverWhenResumed() {
        Experiment exp = quick("early-cancel", ModelSpec.Preset.LENET300, 1);
        RunResult straight = new TrainJob(new RunStore(runs.resolve("straight")), null, null).run(exp);
        CancellationToken token = new CancellationToken();
        TrainingListener cancelAtOnce = e -> {
            if (e instanceof TrainingEvent.Iteration) {
                token.cancel();
            }
        };
        RunResult cancelled = new TrainJob(new RunStore(runs), cancelAtOnce, token).run(exp);
        assertEquals(TrainOutcome.CANCELLED, cancelled.training().outcome());
        assertEquals(0, cancelled.training().state().epochsCompleted());
        assertFalse(Files.exists(cancelled.runDir().resolve("checkpoints/last.zip")));

        RunResult resumed = new TrainJob(new RunStore(runs), null, null).resume(cancelled.runDir());
        assertEquals(TrainOutcome.COMPLETED, resumed.training().outcome());
        assertEquals(cancelled.runDir(), resumed.runDir(), "in the same folder");
        INDArray a = ModelIO.load(straight.modelFile()).net().params();
        INDArray b = ModelIO.load(resumed.modelFile()).net().params();
        assertTrue(a.sub(b).amaxNumber().doubleValue() <= 1e-5, "started over from the same seed");
    }

    // ---------------------------------------------------------------- (c) resume determinism

    @Test
    void resumingAfterEpochOneGivesTheSameWeightsAsAnUninterruptedRun() {
        Experiment exp = quick("straight", ModelSpec.Preset.LENET300, 2);
        RunResult straight = new TrainJob(new RunStore(runs.resolve("a")), null, null).run(exp);

        CancellationToken token = new CancellationToken();
        // Cancel on epoch 2's first minibatch: that batch is already applied in memory, so the
        // resume must start from the checkpoint, not from the network as it was left.
        TrainingListener cancelInEpoch2 = e -> {
            if (e instanceof TrainingEvent.Iteration it && it.epoch() == 2) {
                token.cancel();
            }
        };
        RunResult cancelled =
                new TrainJob(new RunStore(runs.resolve("b")), cancelInEpoch2, token).run(exp.withName("interrupted"));
        assertEquals(TrainOutcome.CANCELLED, cancelled.training().outcome());
        INDArray atCheckpoint = ModelIO.load(cancelled.runDir().resolve("checkpoints/last.zip"))
                .net()
                .params()
                .dup();
        RunResult resumed = new TrainJob(new RunStore(runs.resolve("b")), null, null).resume(cancelled.runDir());
        assertEquals(TrainOutcome.COMPLETED, resumed.training().outcome());

        INDArray a = ModelIO.load(straight.modelFile()).net().params();
        INDArray b = ModelIO.load(resumed.modelFile()).net().params();
        assertEquals(a.length(), b.length());
        double maxDiff = a.sub(b).amaxNumber().doubleValue();
        assertTrue(maxDiff <= 1e-5, "resumed weights differ from the uninterrupted run's by up to " + maxDiff);
        assertTrue(a.sub(atCheckpoint).amaxNumber().doubleValue() > 1e-4, "epoch 2 changed the weights (sanity)");
        assertEquals(
                straight.training().state().history().get(1).trainLoss(),
                resumed.training().state().history().get(1).trainLoss(),
                1e-5,
                "epoch 2 saw the same batches");
        assertEquals(straight.test().accuracy(), resumed.test().accuracy(), 1e-9);
    }

    // ---------------------------------------------------------------- (d) divergence

    @Test
    void hugeLearningRateDivergesAndTheRunIsMarkedFailed() throws Exception {
        Experiment d = quick("diverge", ModelSpec.Preset.LENET300, 1);
        // Raw pixels (0..255) with plain SGD at the largest allowed rate blow up within a few batches.
        Experiment exp = d.withData(d.data().withNormalization(DataSpec.Normalization.NONE))
                .withTrain(d.train().withOptimizer(TrainSpec.Optimizer.SGD).withLearningRate(9.5));
        RunResult job = new TrainJob(new RunStore(runs), null, null).run(exp);

        assertEquals(TrainOutcome.DIVERGED, job.training().outcome());
        String message = job.training().message();
        assertTrue(message.contains("train.learningRate") && message.contains("9.5"), message);
        assertNull(job.test());
        assertNull(job.modelFile());
        JsonNode status = JSON.readTree(job.runDir().resolve("status.json").toFile());
        assertEquals("failed", status.get("state").asText());
        assertEquals(message, status.get("message").asText());
        assertFalse(Files.exists(job.runDir().resolve("models/model.zip")));
        assertTrue(Files.isRegularFile(job.runDir().resolve("learning-curves.png")), "curves are kept for diagnosis");
    }

    // ---------------------------------------------------------------- (e) bad input before the run folder

    @Test
    void badDataIsRejectedBeforeAnyRunFolderExists() throws Exception {
        Path missing = runs.resolve("no-such-idx-folder");
        Path root = runs.resolve("store");
        Experiment d = quick("bad-data", ModelSpec.Preset.LENET300, 1);
        Experiment exp = d.withData(d.data().withSource(DataSpec.Source.IDX).withPath(missing.toString()));

        KeiryoException e =
                assertThrows(KeiryoException.class, () -> new TrainJob(new RunStore(root), null, null).run(exp));
        assertTrue(
                e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"),
                e.getMessage());
        assertTrue(
                Files.notExists(root) || dev.keiryo.engine.cli.TestFiles.isEmptyDir(root), "no run folder was created");
    }

    @Test
    void invalidSettingsAreRejectedBeforeAnyRunFolderExists() {
        Path root = runs.resolve("store");
        Experiment d = quick("bad-lr", ModelSpec.Preset.LENET300, 1);
        KeiryoException e = assertThrows(
                KeiryoException.class,
                () -> new TrainJob(new RunStore(root), null, null)
                        .run(d.withTrain(d.train().withLearningRate(-1))));
        assertTrue(e.getMessage().contains("train.learningRate"), e.getMessage());
        assertFalse(Files.exists(root), "no runs folder was created");
    }

    // ---------------------------------------------------------------- (f) early stopping

    @Test
    void earlyStoppingStopsWhenValidationStopsImproving() throws Exception {
        Experiment d = quick("patience", ModelSpec.Preset.LENET300, 4);
        // A learning rate so small that validation accuracy cannot change after epoch 1.
        Experiment exp = d.withTrain(d.train()
                .withOptimizer(TrainSpec.Optimizer.SGD)
                .withLearningRate(1e-9)
                .withEarlyStoppingPatience(1));
        RunResult job = new TrainJob(new RunStore(runs), null, null).run(exp);

        assertEquals(
                TrainOutcome.STOPPED_EARLY,
                job.training().outcome(),
                job.training().message());
        TrainState s = job.training().state();
        assertEquals(2, s.epochsCompleted(), "stops after the first epoch without improvement");
        assertEquals(1, s.bestEpoch());
        assertTrue(
                job.training().message().contains("kept epoch 1"),
                job.training().message());
        JsonNode status = JSON.readTree(job.runDir().resolve("status.json").toFile());
        assertEquals("completed", status.get("state").asText(), "stopping early is a normal end");
        assertEquals("STOPPED_EARLY", status.at("/summary/outcome").asText());
        assertTrue(Files.isRegularFile(job.modelFile()));
    }

    private List<Path> runFolders() throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(Files::isDirectory).toList();
        }
    }
}
