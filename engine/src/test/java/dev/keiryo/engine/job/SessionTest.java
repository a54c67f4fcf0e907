package dev.keiryo.engine.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.DistillStepSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ExperimentFile;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.PruneMode;
import dev.keiryo.engine.api.experiment.PruneStepSpec;
import dev.keiryo.engine.api.experiment.QuantizeStepSpec;
import dev.keiryo.engine.api.experiment.SensitivitySpec;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.experiment.RunStore;
import dev.keiryo.engine.variant.VariantStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A workbench session: one run folder that grows a variant per applied step and stays replayable. */
class SessionTest {
    @TempDir
    Path runs;

    @Test
    void stepsAppliedOneByOneLandInTheSameRunAndItsExperimentFile() {
        Experiment exp = TrainJobTest.quick("session", ModelSpec.Preset.LENET300, 1);
        LocalSession s = LocalSession.start(new RunStore(runs), exp, null, null);
        assertTrue(s.open());
        assertEquals(List.of("v0"), s.variants().stream().map(Variant::id).toList());

        PruneStepSpec prune = new PruneStepSpec(
                PruneMode.CONNECTION,
                "global",
                0.8,
                null,
                null,
                Map.of(),
                List.of(),
                "l1",
                "oneshot",
                5,
                0,
                null,
                "v0");
        List<Variant> pruned = s.apply(StepSpec.of(prune), null, new CancellationToken());
        assertEquals(1, pruned.size());
        assertEquals("v0", pruned.get(0).parent());
        assertEquals(0.8, pruned.get(0).metrics().sparsity(), 0.02);

        QuantizeStepSpec q = new QuantizeStepSpec("affine", 4, true, true, true, false, "v0");
        Variant q4 = s.apply(StepSpec.of(q), null, null).get(0);
        assertEquals("v2", q4.id());
        assertEquals("v0", q4.parent(), "steps start from the variant they name, not the latest");
        assertEquals(Files.exists(s.runDir().resolve(q4.modelFile())), true);

        Experiment stored = ExperimentFile.read(s.runDir().resolve("experiment.yaml"));
        assertEquals(2, stored.steps().size(), "the run's experiment replays the session headless");
        assertEquals(4, stored.steps().get(1).quantize().bits());
        List<Variant> onDisk = VariantStore.read(new RunStore(runs).open(s.runDir()));
        assertEquals(s.variants(), onDisk);
    }

    @Test
    void withoutAValidationSplitChoicesReadPartOfTheTrainingSetNeverTheTestSet() throws Exception {
        Experiment q = TrainJobTest.quick("no-validation", ModelSpec.Preset.LENET300, 1);
        LocalSession s =
                LocalSession.start(new RunStore(runs), q.withData(q.data().withValidationFraction(0)), null, null);
        Dataset preview = s.previewData();
        assertNotSame(s.testData(), preview, "previews guide choices, so they never show the test set");
        assertEquals(60, preview.size(), "a tenth of the 600 training examples");

        List<TrainingEvent> events = new ArrayList<>();
        s.apply(
                StepSpec.of(new SensitivitySpec(PruneMode.CONNECTION, List.of(0.5), List.of(), "l1")),
                events::add,
                null);
        assertTrue(
                messages(events)
                        .anyMatch(m -> m.contains("sensitivity is measured on 60 examples of the training set")
                                && m.contains("data.validationFraction")),
                events.toString());
        assertTrue(messages(events).anyMatch(m -> m.contains("on 60 training-subset examples")), events.toString());

        events.clear();
        s.apply(
                StepSpec.of(new DistillStepSpec(
                        "v0", null, null, 0.25, null, null, 2, 0.5, 1, null, 1, false, null, null, 0)),
                events::add,
                null);
        assertTrue(
                messages(events).anyMatch(m -> m.contains("distillation curves are measured on 60 examples")),
                events.toString());
    }

    private static java.util.stream.Stream<String> messages(List<TrainingEvent> events) {
        return events.stream()
                .filter(e -> e instanceof TrainingEvent.Message)
                .map(e -> ((TrainingEvent.Message) e).text());
    }

    @Test
    void theExperimentCanBeReadWhileAStepRuns() throws Exception {
        LocalSession s = LocalSession.start(
                new RunStore(runs), TrainJobTest.quick("reads", ModelSpec.Preset.LENET300, 1), null, null);
        PruneStepSpec prune = new PruneStepSpec(
                PruneMode.CONNECTION,
                "global",
                0.5,
                null,
                null,
                Map.of(),
                List.of(),
                "l1",
                "oneshot",
                5,
                1,
                null,
                "v0");
        java.util.concurrent.atomic.AtomicReference<Experiment> seen =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean blocked = new java.util.concurrent.atomic.AtomicBoolean();
        s.apply(
                StepSpec.of(prune),
                e -> {
                    if (seen.get() == null && !blocked.get()) {
                        // Another thread (a UI) reads while this one, inside apply, waits for it.
                        Thread reader = new Thread(() -> seen.set(s.experiment()));
                        reader.start();
                        try {
                            reader.join(30_000);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                        }
                        blocked.set(reader.isAlive());
                    }
                },
                null);
        assertFalse(blocked.get(), "experiment() waited for the running step");
        assertTrue(seen.get() != null && seen.get().steps().isEmpty(), "the experiment before the step");
        assertEquals(1, s.experiment().steps().size(), "and with it after");
    }

    @Test
    void badSettingsChangeNothing() {
        LocalSession s = LocalSession.start(
                new RunStore(runs), TrainJobTest.quick("bad", ModelSpec.Preset.LENET300, 1), null, null);
        PruneStepSpec prune = new PruneStepSpec(
                PruneMode.CONNECTION,
                "global",
                0.5,
                null,
                null,
                Map.of(),
                List.of("nope"),
                "l1",
                "oneshot",
                5,
                0,
                null,
                null);
        assertThrows(KeiryoException.class, () -> s.apply(StepSpec.of(prune), null, null));
        assertEquals(1, s.variants().size());
        assertTrue(s.experiment().steps().isEmpty());
    }

    @Test
    void aStoppedRunResumesIntoASession() {
        CancellationToken cancel = new CancellationToken();
        Experiment exp = TrainJobTest.quick("paused", ModelSpec.Preset.LENET300, 2);
        LocalSession stopped = LocalSession.start(
                new RunStore(runs),
                exp,
                e -> {
                    if (e instanceof dev.keiryo.engine.api.run.TrainingEvent.Epoch) {
                        cancel.cancel();
                    }
                },
                cancel);
        assertFalse(stopped.open());
        LocalSession resumed = LocalSession.resume(new RunStore(runs), stopped.runDir(), null, null);
        assertTrue(resumed.open());
        assertEquals(stopped.runDir(), resumed.runDir(), "resuming continues in the same folder");
        assertEquals(2, resumed.trained().training().state().epochsCompleted());
        assertEquals(List.of("v0"), resumed.variants().stream().map(Variant::id).toList());
    }

    @Test
    void aCancelledTrainingLeavesNoSessionToWorkOn() {
        CancellationToken cancel = new CancellationToken();
        cancel.cancel();
        LocalSession s = LocalSession.start(
                new RunStore(runs), TrainJobTest.quick("cancelled", ModelSpec.Preset.LENET300, 1), null, cancel);
        assertFalse(s.open());
        assertTrue(s.variants().isEmpty());
        assertThrows(KeiryoException.class, () -> s.model("v0"));
    }
}
