package dev.keiryo.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.app.concurrent.InlineTasks;
import dev.keiryo.app.distill.DistillViewModel;
import dev.keiryo.app.distill.DistillViewModel.LayerChoice;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.compress.DistillMode;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelIO;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.train.TrainSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Distill view model without a window: engine work runs inline, so results are there at once. */
class DistillViewModelTest {
    @TempDir
    Path dir;

    private final Workspace ws = new Workspace(new InlineTasks(), Path.of("unused"));
    private DistillViewModel vm;

    @BeforeEach
    void trainTeacher() {
        vm = new DistillViewModel(ws);
        ws.showSession(Engine.local().start(dir.resolve("runs"), quick(), null, null));
    }

    private static Experiment quick() {
        Experiment d = Workspace.defaults();
        return d.withData(d.data().withLimitTrain(300))
                .withModel(d.model().withPreset(ModelSpec.Preset.LENET300))
                .withTrain(d.train().withBatchSize(32))
                .withEval(d.eval().withLatency(false));
    }

    @Test
    void aNewModelForgetsTheLastModelsStudentsCurvesAndResult() {
        vm.epochsProperty().set(1);
        vm.compareProperty().set(false);
        vm.start();
        assertTrue(
                vm.messageProperty().get().contains("added"),
                vm.messageProperty().get());

        ws.showSession(Engine.local().start(dir.resolve("runs2"), quick(), null, null));
        assertEquals("v0", vm.teacherProperty().get().variant(), "the new model is the teacher");
        assertEquals("", vm.messageProperty().get(), "no word of students that are not this model's");
        assertEquals("", vm.summaryProperty().get());
        assertEquals(0.0, vm.progressProperty().get());
        for (DistillMode m : DistillMode.values()) {
            assertEquals(0, vm.curves(m).getSeriesCount(), "no curves of the old teacher's students: " + m.id());
        }
        assertEquals(0, vm.teacherLine().getSeriesCount(), "no line at the old teacher's accuracy");
        assertEquals(0, vm.hintLoss().getSeriesCount());
    }

    @Test
    void theSessionsModelIsTheTeacherAndEveryStudentBecomesAVariantWithLiveCurves() {
        Variant v0 = ws.variants().get(0);
        assertEquals("v0", vm.teacherProperty().get().variant(), "the trained model is the default teacher");
        assertTrue(
                vm.teacherTextProperty().get().contains("test accuracy"),
                vm.teacherTextProperty().get());
        assertEquals(
                List.of("no hints", "dense1", "dense2"),
                vm.hintLayers().stream()
                        .map(l -> l.name() == null ? "no hints" : l.name())
                        .toList());
        // A half-width LeNet-300-100 has about half the parameters (its first layer dominates).
        assertTrue(
                vm.studentTextProperty()
                        .get()
                        .matches("lenet300 x0.5: [0-9,]+ parameters, 4[0-9.]+% of the teacher's.*"),
                vm.studentTextProperty().get());

        vm.hintLayerProperty().set(vm.hintLayers().get(1));
        assertEquals(
                "dense1", vm.guidedLayerProperty().get().name(), "the student's layer of the same name is offered");
        vm.epochsProperty().set(1);
        assertEquals("", vm.problemProperty().get());
        vm.start();

        assertFalse(vm.runningProperty().get());
        assertEquals(4, ws.variants().size(), "v0, then the scratch, kd and hints+kd students");
        assertNull(ws.variants().get(1).parent(), "scratch owes nothing to the teacher");
        assertEquals("v0", ws.variants().get(2).parent());
        assertEquals("distill-hints+kd", ws.variants().get(3).step());
        for (DistillMode m : DistillMode.values()) {
            assertEquals(1, vm.curves(m).getSeriesCount(), m.id());
            assertEquals(1, vm.curves(m).getSeries(0).getItemCount(), "one point per epoch: " + m.id());
        }
        assertTrue(vm.hintLoss().getSeries(0).getItemCount() >= 5, "the hint stage's minibatch losses");
        assertEquals(
                v0.metrics().accuracy(), vm.teacherLine().getSeries(0).getY(0).doubleValue(), "the teacher's line");
        assertTrue(
                vm.summaryProperty().get().contains("vs scratch"),
                vm.summaryProperty().get());
        assertEquals(1.0, vm.progressProperty().get());
        assertFalse(
                ws.status().errorProperty().get(), ws.status().messageProperty().get());
    }

    @Test
    void aWidthSweepAddsEachStudentAsItFinishesAndStopKeepsTheFinishedOnes() {
        vm.epochsProperty().set(1);
        vm.sweepWidthsProperty().set("0.25, 2");
        assertTrue(
                vm.sweepProblemProperty().get().contains("2 is not in (0, 1]"),
                vm.sweepProblemProperty().get());
        vm.sweepWidthsProperty().set(" ");
        assertTrue(
                vm.sweepProblemProperty().get().contains("give at least one width"),
                vm.sweepProblemProperty().get());
        vm.sweepWidthsProperty().set("0.25, half");
        assertTrue(
                vm.sweepProblemProperty().get().contains("'half' is not a number"),
                vm.sweepProblemProperty().get());
        vm.sweep();
        assertEquals(1, ws.variants().size(), "bad widths start nothing");

        vm.sweepWidthsProperty().set("0.25, 0.5");
        assertEquals("", vm.sweepProblemProperty().get());
        String run = ws.session().orElseThrow().runDir().toString();
        assertTrue(
                vm.headlessProperty().get().contains("for w in 0.25 0.5; do ./keiryo distill " + run),
                vm.headlessProperty().get());
        // Each student is on the Variants tab (and so the trade-off chart) before the next one is trained.
        List<Integer> shown = new java.util.ArrayList<>();
        ws.variants().addListener((javafx.collections.ListChangeListener<Variant>) c -> {
            if (vm.runningProperty().get()) {
                shown.add(ws.variants().size());
            }
        });
        vm.sweep();
        assertFalse(vm.runningProperty().get());
        assertEquals(List.of(2, 3), shown);
        List<Variant> students = ws.variants().subList(1, 3);
        assertEquals(
                List.of(0.25, 0.5),
                students.stream()
                        .map(v -> ((Number) v.params().get("width")).doubleValue())
                        .toList());
        assertTrue(
                students.stream().allMatch(v -> "v0".equals(v.parent()) && "distill-kd".equals(v.step())),
                "KD students of v0");
        assertTrue(students.get(0).metrics().parameters()
                < students.get(1).metrics().parameters());
        assertEquals(2, vm.sweepCurves().getSeriesCount(), "a curve per width");
        assertTrue(
                vm.summaryProperty().get().startsWith("Test accuracy by student width: x0.25 "),
                vm.summaryProperty().get());
        assertEquals(
                2,
                ws.session().orElseThrow().experiment().steps().size(),
                "each width is a step of the replayable run");
        assertEquals(1.0, vm.progressProperty().get());

        // Stop after the first width: it is kept, the rest is not trained.
        vm.sweepWidthsProperty().set("0.125, 0.375, 0.625");
        ListChangeListener<Variant> stopper = c -> vm.stop();
        ws.variants().addListener(stopper);
        vm.sweep();
        ws.variants().removeListener(stopper);
        assertEquals(4, ws.variants().size(), "the first width's student only");
        assertEquals(0.125, ((Number) ws.variants().get(3).params().get("width")).doubleValue());
        assertTrue(
                vm.messageProperty().get().startsWith("Stopped: 1 sweep student variant(s) added (v3)"),
                vm.messageProperty().get());
        assertFalse(
                ws.status().errorProperty().get(), ws.status().messageProperty().get());
    }

    @Test
    void badSettingsShowTheEnginesSentenceAndStartChangesNothing() throws Exception {
        vm.temperatureProperty().set(0);
        assertTrue(
                vm.problemProperty().get().contains("temperature must be > 0"),
                vm.problemProperty().get());
        vm.temperatureProperty().set(4);
        vm.alphaProperty().set(1.5);
        assertTrue(
                vm.problemProperty().get().contains("distill.alpha must be >= 0 and <= 1"),
                vm.problemProperty().get());
        vm.start();
        assertEquals(1, ws.variants().size(), "nothing was trained");
        assertTrue(ws.status().errorProperty().get());
        vm.alphaProperty().set(0.9);
        assertEquals("", vm.problemProperty().get());

        vm.useTeacherFile(save("lenet5.zip", ArchitecturePreset.LENET5, 10));
        assertEquals("conv2", vm.hintLayers().get(3).name());
        vm.studentProperty().set(DistillViewModel.StudentKind.LENET300);
        vm.hintLayerProperty().set(vm.hintLayers().get(3));
        assertEquals(
                "dense2", vm.guidedLayerProperty().get().name(), "no 'conv2' in the student: its last hidden layer");
        assertTrue(
                vm.problemProperty().get().contains("hint layer 'conv2' is convolutional")
                        && vm.problemProperty().get().contains("guided layer 'dense2' is flat"),
                vm.problemProperty().get());
        vm.guidedLayerProperty().set(LayerChoice.NONE);
        assertEquals(LayerChoice.NONE, vm.hintLayerProperty().get(), "no hints on either side");
        assertEquals("", vm.problemProperty().get());

        vm.useTeacherFile(save("three.zip", ArchitecturePreset.LENET300, 3));
        assertTrue(
                vm.problemProperty().get().contains("the teacher predicts 3 classes but the data has 10"),
                vm.problemProperty().get());
    }

    private Path save(String name, ArchitecturePreset preset, int classes) throws java.io.IOException {
        InputShape in = new InputShape(1, 28, 28);
        var net = ModelFactory.build(
                dev.keiryo.engine.model.Architecture.of(preset), in, classes, TrainSettings.defaults());
        Path file = dir.resolve(name);
        ModelIO.save(
                new KeiryoModel(
                        net,
                        new ModelMeta(
                                ModelMeta.FORMAT_VERSION,
                                preset.id(),
                                in,
                                preset.convolutional(),
                                classes,
                                IntStream.range(0, classes)
                                        .mapToObj(Integer::toString)
                                        .toList(),
                                Normalizer.none())),
                file,
                false,
                false);
        return file;
    }
}
