package dev.keiryo.engine.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.DistillStepSpec;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.experiment.RunStore;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelIO;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.train.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distillation applied in a workbench session: the Student events that say which student and
 * stage the live numbers belong to, the checks before any work, and stopping.
 */
class SessionDistillTest {
    @TempDir
    Path runs;

    @TempDir
    Path dir;

    private LocalSession session;

    @BeforeEach
    void trainTeacher() {
        session = LocalSession.start(
                new RunStore(runs), TrainJobTest.quick("teacher", ModelSpec.Preset.LENET300, 1), null, null);
    }

    private static DistillStepSpec spec(
            String teacherFile, double t, double alpha, String hint, String guided, int epochs) {
        return DistillStepSpec.builder()
                .from(teacherFile == null ? "v0" : null)
                .teacher(teacherFile)
                .width(0.25)
                .temperature(t)
                .alpha(alpha)
                .epochs(epochs)
                .seeds(1)
                .compare(true)
                .hintLayer(hint)
                .guidedLayer(guided)
                .hintEpochs(1)
                .build();
    }

    @Test
    void studentEventsTagEveryStageOfTheComparison() {
        List<TrainingEvent> events = new ArrayList<>();
        List<Variant> added = session.apply(StepSpec.of(spec(null, 4, 0.9, "dense1", "dense1", 2)), events::add, null);
        assertEquals(3, added.size(), "scratch, kd, hints+kd");

        List<String> stages = new ArrayList<>();
        TrainingEvent.Student current = null;
        int epochsInStage = 0;
        for (TrainingEvent e : events) {
            if (e instanceof TrainingEvent.Student s) {
                if (current != null && !current.stage().equals(TrainingEvent.Student.DONE)) {
                    assertEquals(current.epochs(), epochsInStage, "epoch events of " + current);
                }
                stages.add(s.student() + "/" + s.students() + " " + s.mode() + " " + s.stage());
                assertEquals(session.variants().get(0).metrics().accuracy(), s.teacherAccuracy(), "the teacher line");
                assertEquals(7, s.seed(), "the experiment's seed");
                current = s;
                epochsInStage = 0;
            } else if (e instanceof TrainingEvent.Epoch ep) {
                epochsInStage++;
                assertEquals(
                        current.stage().equals(TrainingEvent.Student.TRAIN),
                        Double.isFinite(ep.validationAccuracy()),
                        "only the training stage measures the student: " + current);
            }
        }
        assertEquals(
                List.of(
                        "1/3 scratch train",
                        "1/3 scratch done",
                        "2/3 kd train",
                        "2/3 kd done",
                        "3/3 hints+kd hint",
                        "3/3 hints+kd train",
                        "3/3 hints+kd done"),
                stages);
        List<TrainingEvent.Student> done = events.stream()
                .filter(e -> e instanceof TrainingEvent.Student s && s.stage().equals(TrainingEvent.Student.DONE))
                .map(e -> (TrainingEvent.Student) e)
                .toList();
        for (int i = 0; i < 3; i++) {
            assertEquals(added.get(i).id(), done.get(i).variant());
            assertEquals(added.get(i).metrics().accuracy(), done.get(i).testAccuracy());
        }
        assertNull(added.get(0).parent(), "scratch");
        assertEquals("v0", added.get(1).parent());
        assertEquals(1, session.experiment().steps().size());
    }

    @Test
    void checkRejectsBadSettingsWithTheEngineSentenceAndChangesNothing() throws Exception {
        assertMessage(spec(null, 0, 0.9, null, null, 1), "temperature must be > 0");
        assertMessage(spec(null, 4, 1.5, null, null, 1), "distill.alpha must be >= 0 and <= 1 (was 1.5)");
        assertMessage(
                spec(null, 4, 0.9, "dense1", "nope", 1), "guided layer 'nope' is not a hidden layer of the student");

        InputShape in = new InputShape(1, 28, 28);
        Path conv = save(
                "lenet5.zip",
                ModelFactory.build(
                        dev.keiryo.engine.model.Architecture.of(ArchitecturePreset.LENET5),
                        in,
                        10,
                        TrainSettings.defaults()),
                new ModelMeta(
                        ModelMeta.FORMAT_VERSION,
                        "lenet5",
                        in,
                        true,
                        10,
                        java.util.stream.IntStream.range(0, 10)
                                .mapToObj(Integer::toString)
                                .toList(),
                        Normalizer.none()));
        DistillStepSpec flat = DistillStepSpec.builder()
                .teacher(conv.toString())
                .student(ModelSpec.Preset.LENET300)
                .width(0.25)
                .temperature(4)
                .alpha(0.9)
                .epochs(1)
                .seeds(1)
                .compare(true)
                .hintLayer("conv2")
                .guidedLayer("dense1")
                .hintEpochs(1)
                .build();
        assertMessage(flat, "hint layer 'conv2' is convolutional", "guided layer 'dense1' is flat");

        Path three = save(
                "three.zip",
                ModelFactory.build(
                        dev.keiryo.engine.model.Architecture.of(ArchitecturePreset.LENET300),
                        in,
                        3,
                        TrainSettings.defaults()),
                new ModelMeta(
                        ModelMeta.FORMAT_VERSION, "lenet300", in, false, 3, List.of("a", "b", "c"), Normalizer.none()));
        assertMessage(
                spec(three.toString(), 4, 0.9, null, null, 1), "the teacher predicts 3 classes but the data has 10");

        session.check(StepSpec.of(spec(null, 4, 0.9, "dense1", "dense1", 1)));
        assertEquals(1, session.variants().size());
        assertTrue(session.experiment().steps().isEmpty());
    }

    @Test
    void stoppingDuringTheFirstStudentLeavesTheSessionAsItWas() {
        CancellationToken cancel = new CancellationToken();
        List<Variant> added = session.apply(
                StepSpec.of(spec(null, 4, 0.9, null, null, 3)),
                e -> {
                    if (e instanceof TrainingEvent.Iteration) {
                        cancel.cancel();
                    }
                },
                cancel);
        assertTrue(added.isEmpty());
        assertEquals(1, session.variants().size());
        assertTrue(session.experiment().steps().isEmpty(), "nothing to replay");
        assertFalse(Files.exists(session.runDir().resolve(DistillReport.SUMMARY)));
    }

    private void assertMessage(DistillStepSpec s, String... fragments) {
        KeiryoException e = assertThrows(KeiryoException.class, () -> session.check(StepSpec.of(s)));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' missing from: " + e.getMessage());
        }
        assertThrows(
                KeiryoException.class, () -> session.apply(StepSpec.of(s), null, null), "apply checks the same way");
        assertEquals(1, session.variants().size());
    }

    private Path save(String name, org.deeplearning4j.nn.multilayer.MultiLayerNetwork net, ModelMeta meta)
            throws java.io.IOException {
        Path file = dir.resolve(name);
        ModelIO.save(new KeiryoModel(net, meta), file, false, false);
        return file;
    }
}
