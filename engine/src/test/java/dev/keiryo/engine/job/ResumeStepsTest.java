package dev.keiryo.engine.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.PruneStepSpec;
import dev.keiryo.engine.api.experiment.QuantizeStepSpec;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.RunResult;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.TrainingListener;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.experiment.RunStore;
import dev.keiryo.engine.model.ModelIO;
import dev.keiryo.engine.variant.VariantStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resuming runs that stopped after training: the steps continue, nothing is trained or overwritten again. */
class ResumeStepsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path runs;

    private static PruneStepSpec prune(double sparsity, int fineTuneEpochs) {
        return PruneStepSpec.connection(sparsity, fineTuneEpochs);
    }

    @Test
    void aRunStoppedDuringItsStepsResumesThemWithoutTrainingAgain() throws IOException {
        Experiment exp = TrainJobTest.quick("steps", ModelSpec.Preset.LENET300, 1)
                .withSteps(List.of(
                        StepSpec.of(prune(0.5, 0)),
                        StepSpec.of(prune(0.7, 1)),
                        StepSpec.of(new QuantizeStepSpec("affine", 8, true, true, true, false, null))));
        CancellationToken token = new CancellationToken();
        AtomicBoolean firstStepDone = new AtomicBoolean();
        // Cancel during the second step's fine-tuning, after the first step's variant v1 exists.
        TrainingListener cancelInStep2 = e -> {
            if (e instanceof TrainingEvent.Message m && m.text().startsWith("v1:")) {
                firstStepDone.set(true);
            } else if (e instanceof TrainingEvent.Iteration && firstStepDone.get()) {
                token.cancel();
            }
        };
        RunResult stopped = new TrainJob(new RunStore(runs), cancelInStep2, token).run(exp);
        Path dir = stopped.runDir();
        assertEquals(
                "cancelled",
                JSON.readTree(dir.resolve("status.json").toFile()).get("state").asText());
        assertEquals(
                List.of("v0", "v1", "v2"),
                stopped.variants().stream().map(Variant::id).toList(),
                "the cancelled step kept the variant it was fine-tuning");
        Map<Path, byte[]> before = new LinkedHashMap<>();
        for (String f : List.of(
                "models/model.zip",
                "checkpoints/last.zip",
                "variants/v0.kpack",
                "variants/v1.kpack",
                "variants/v2.kpack")) {
            before.put(dir.resolve(f), Files.readAllBytes(dir.resolve(f)));
        }

        List<TrainingEvent> events = new ArrayList<>();
        RunResult resumed = new TrainJob(new RunStore(runs), events::add, new CancellationToken()).resume(dir);

        assertEquals(TrainOutcome.COMPLETED, resumed.training().outcome());
        assertEquals(1, resumed.training().state().epochsCompleted());
        assertTrue(
                events.get(0) instanceof TrainingEvent.Message m && m.text().contains("training is done"),
                events.get(0).toString());
        List<Variant> v = resumed.variants();
        assertEquals(
                List.of("v0", "v1", "v2", "v3", "v4"),
                v.stream().map(Variant::id).toList());
        assertEquals("prune-connection", v.get(3).step(), "the unfinished second step is redone");
        assertEquals("v1", v.get(3).parent(), "from the first step's variant, as the first attempt did");
        assertEquals(0.7, v.get(3).metrics().sparsity(), 0.02);
        assertEquals("v3", v.get(4).parent(), "the third step follows the redone second one");
        assertEquals(v, VariantStore.read(new RunStore(runs).open(dir)), "variants.json lists them all");
        for (Map.Entry<Path, byte[]> f : before.entrySet()) {
            // The checkpoint too: the model is not trained again.
            assertArrayEquals(f.getValue(), Files.readAllBytes(f.getKey()), f.getKey() + " is left as it was");
        }
        assertEquals(
                "completed",
                JSON.readTree(dir.resolve("status.json").toFile()).get("state").asText());
        assertEquals(
                stopped.variants().get(0).metrics().accuracy(),
                resumed.test().accuracy(),
                1e-9,
                "the test set scores the trained model as before");
    }

    @Test
    void resumingARunFromALoadedModelKeepsTheModelsNormalization() throws IOException {
        Experiment q = TrainJobTest.quick("standardized", ModelSpec.Preset.LENET300, 1);
        RunResult first = new TrainJob(new RunStore(runs.resolve("a")), null, null)
                .run(q.withData(q.data().withNormalization(DataSpec.Normalization.STANDARDIZE)));
        Normalizer own = ModelIO.load(first.modelFile()).meta().normalization();
        assertEquals(Normalizer.Kind.STANDARDIZE, own.kind());

        Experiment more = TrainJobTest.quick("more", ModelSpec.Preset.LENET300, 2);
        more = more.withModel(more.model().withLoad(first.modelFile().toString()));
        assertEquals(
                DataSpec.Normalization.SCALE, more.data().resolvedNormalization(), "the run's own setting differs");
        CancellationToken token = new CancellationToken();
        TrainingListener cancelInEpoch2 = e -> {
            if (e instanceof TrainingEvent.Iteration it && it.epoch() == 2) {
                token.cancel();
            }
        };
        RunResult stopped = new TrainJob(new RunStore(runs.resolve("b")), cancelInEpoch2, token).run(more);
        assertEquals(TrainOutcome.CANCELLED, stopped.training().outcome());
        Path normalization = stopped.runDir().resolve("normalization.json");
        assertEquals(own, JSON.readValue(normalization.toFile(), Normalizer.class), "the run feeds the model's");

        RunResult resumed = new TrainJob(new RunStore(runs.resolve("b")), null, null).resume(stopped.runDir());
        assertEquals(TrainOutcome.COMPLETED, resumed.training().outcome());
        assertEquals(
                own,
                JSON.readValue(normalization.toFile(), Normalizer.class),
                "the resumed epochs are fed as the loaded model was trained, not with a refit");
        assertEquals(own, ModelIO.load(resumed.modelFile()).meta().normalization());
    }
}
