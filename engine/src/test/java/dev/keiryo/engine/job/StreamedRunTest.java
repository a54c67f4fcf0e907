package dev.keiryo.engine.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ExperimentFile;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.ParallelSpec;
import dev.keiryo.engine.api.run.RunResult;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.experiment.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on a streamed image folder is fed what the in-memory run is fed, trains on one device and
 * across data-parallel workers, and is evaluated on its streamed splits.
 */
class StreamedRunTest {
    private static final Path SHAPES = Path.of("..", "assets", "data", "shapes-sample");

    @TempDir
    Path runs;

    private static Experiment shapes(DataSpec.Streaming streaming) {
        Experiment d = Experiment.defaults();
        return d.withName("streamed")
                .withSeed(11)
                .withData(d.data()
                        .withSource(DataSpec.Source.IMAGES)
                        .withPath(SHAPES.toString())
                        .withStreaming(streaming))
                .withModel(d.model().withPreset(ModelSpec.Preset.LENET5))
                .withTrain(d.train().withEpochs(1).withBatchSize(8))
                .withEval(d.eval().withLatency(false));
    }

    private static float[] pass(ArrayDataSetIterator it) {
        List<float[]> parts = new ArrayList<>();
        while (it.hasNext()) {
            parts.add(it.next().getFeatures().reshape(-1).toFloatVector());
        }
        float[] out = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4, what + " value " + i);
        }
    }

    @Test
    void everySplitIsFedAsInMemoryAndOnlyTrainingIsAugmented() {
        JobData memory = JobData.prepare(shapes(DataSpec.Streaming.OFF));
        JobData disk = JobData.prepare(shapes(DataSpec.Streaming.ON));
        for (Dataset d : List.of(disk.train(), disk.validation(), disk.choices(), disk.test())) {
            assertTrue(d.streamed(), d.toString());
        }
        assertFalse(memory.train().streamed());
        assertArrayEquals(memory.train().labels(), disk.train().labels());
        assertClose(memory.normalization().mean(), disk.normalization().mean(), "per-channel mean");
        assertClose(memory.normalization().std(), disk.normalization().std(), "per-channel std");
        assertClose(
                pass(memory.trainingIterator(8, 11, 0)),
                pass(disk.trainingIterator(8, 11, 0)),
                "augmented training epoch");
        for (int s = 0; s < 3; s++) {
            Dataset m = List.of(memory.validation(), memory.choices(), memory.test())
                    .get(s);
            Dataset d = List.of(disk.validation(), disk.choices(), disk.test()).get(s);
            ArrayDataSetIterator it = disk.iterator(d, 8, false, 11, 0);
            assertNull(it.augmentation(), d.name());
            assertClose(memory.normalization().apply(m.features()), pass(it), d.name() + " as read");
        }
    }

    @Test
    void theSettingReadsFromYamlAndIsRefusedForSourcesThatCannotStream() throws Exception {
        Path file = runs.resolve("e.yaml");
        for (DataSpec.Streaming v : DataSpec.Streaming.values()) {
            Files.writeString(
                    file, "schemaVersion: 1\ndata:\n  source: images\n  path: x\n  streaming: " + v.id() + "\n");
            assertEquals(v, ExperimentFile.read(file).data().streaming(), "unquoted " + v.id());
            Experiment e = shapes(v);
            ExperimentFile.write(e, file);
            assertEquals(e, ExperimentFile.read(file), "written and read back");
        }
        Files.writeString(file, "schemaVersion: 1\ndata:\n  streaming: sometimes\n");
        KeiryoException unknown = assertThrows(KeiryoException.class, () -> ExperimentFile.read(file));
        assertTrue(
                unknown.getMessage().contains("data.streaming must be one of auto, on, off (was \"sometimes\")"),
                unknown.getMessage());
        Experiment d = Experiment.defaults();
        KeiryoException e = assertThrows(
                KeiryoException.class,
                () -> d.withData(d.data().withStreaming(DataSpec.Streaming.ON)).validate());
        assertTrue(
                e.getMessage().contains("data.streaming is on but only the images source reads from disk"),
                e.getMessage());
    }

    private RunResult run(Experiment exp, List<TrainingEvent> events) {
        return assertTimeoutPreemptively(
                Duration.ofMinutes(3), () -> new TrainJob(new RunStore(runs), events::add, null).run(exp));
    }

    @Test
    void aStreamedRunTrainsOnOneDeviceAndOnTwoWorkersAndIsEvaluated() {
        for (boolean parallel : new boolean[] {false, true}) {
            Experiment exp = shapes(DataSpec.Streaming.ON);
            if (parallel) {
                exp = exp.withTrain(exp.train()
                        .withParallel(ParallelSpec.defaults()
                                .withMode(ParallelSpec.TrainMode.SYNC)
                                .withWorkers(2)));
            }
            List<TrainingEvent> events = new ArrayList<>();
            RunResult r = run(exp.withName(parallel ? "sync" : "single"), events);
            assertEquals(
                    TrainOutcome.COMPLETED, r.training().outcome(), r.training().message());
            assertTrue(r.data().contains("streamed from disk"), r.data());
            assertTrue(r.test().accuracy() >= 0 && r.test().accuracy() <= 1);
            String streamed = events.stream()
                    .filter(e ->
                            e instanceof TrainingEvent.Message m && m.text().startsWith("streamed "))
                    .map(e -> ((TrainingEvent.Message) e).text())
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no streaming summary in " + events));
            assertTrue(streamed.contains("waited"), streamed);
        }
    }
}
