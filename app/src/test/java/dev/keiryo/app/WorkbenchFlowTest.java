package dev.keiryo.app;

import static dev.keiryo.app.WorkbenchFixture.fx;
import static dev.keiryo.app.WorkbenchFixture.screenshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.app.distill.DistillViewModel;
import dev.keiryo.engine.api.compress.PrunePreviewResult;
import dev.keiryo.engine.api.experiment.ExperimentFile;
import dev.keiryo.engine.api.experiment.ParallelSpec;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.experiment.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The whole workbench flow, headless: the bundled sample loads by itself, a short training (three
 * epochs of 1,500 examples) runs, the prune slider's preview follows the slider, Apply makes a
 * variant that appears on the trade-off chart; the same for quantization; a distillation comparison
 * (scratch, KD, hints+KD) from the trained model adds its students with their lineage; data-parallel
 * training from the same sheet. With -Dkeiryo.screenshots=DIR it saves the data-parallel Train view (the other
 * docs screenshots come from {@link WorkbenchDefaultFlowTest}, the default flow).
 */
@ExtendWith(ApplicationExtension.class)
class WorkbenchFlowTest {
    private static final int TEACHER_EPOCHS = 3;

    @RegisterExtension
    final WorkbenchFixture f = new WorkbenchFixture();

    @Start
    void start(Stage stage) {
        f.start(stage);
    }

    @Test
    void loadTrainPruneQuantizeAndSeeTheVariantsOnTheTradeOffChart(FxRobot robot) throws Exception {
        Workbench wb = f.wb;
        f.waitFor("the bundled sample to load", 60, () -> wb.data().samples().size() == 40);
        assertTrue(
                robot.lookup("#data-description").queryAs(Label.class).getText().contains("5000 training"),
                "the sample is described");
        f.waitFor("the preset's layer table", 60, () -> !wb.model().layers().isEmpty());

        // Three epochs, so that the model the later views compress, and Distill's teacher, have learnt something.
        f.tab(2);
        fx(() -> {
            wb.train().settings().limitTrainProperty().set(1500);
            wb.train().settings().batchSizeProperty().set(32);
            wb.train().settings().epochsProperty().set(TEACHER_EPOCHS);
            wb.train().settings().latencyProperty().set(true);
            return null;
        });
        robot.clickOn("#train-start");
        f.waitFor(
                "training to finish",
                300,
                () -> !wb.train().runningProperty().get()
                        && !wb.workspace().variants().isEmpty());
        Path run = wb.workspace().session().orElseThrow().runDir();
        assertTrue(
                Files.readString(run.resolve(Run.STATUS_FILE)).contains("completed"),
                "the run is saved like a CLI run");
        assertTrue(wb.train().lossData().getSeries(0).getItemCount() > 0, "the loss chart was fed");
        assertEquals(TEACHER_EPOCHS, wb.train().lossData().getSeries(1).getItemCount(), "a train loss point per epoch");

        f.tab(3);
        f.waitFor("the pruning preview", 60, () -> wb.prune().previewProperty().get() != null);
        PrunePreviewResult first = wb.prune().previewProperty().get();
        String before =
                fx(() -> robot.lookup("#prune-preview").queryAs(Label.class).getText());
        Slider slider = robot.lookup("#prune-slider").queryAs(Slider.class);
        robot.interact(() -> slider.setValue(0.9));
        f.waitFor(
                "the preview to follow the slider",
                60,
                () -> !java.util.Objects.equals(wb.prune().previewProperty().get(), first)
                        && Math.abs(wb.prune().previewProperty().get().sparsity() - 0.9) < 0.02);
        assertNotEquals(
                before,
                fx(() -> robot.lookup("#prune-preview").queryAs(Label.class).getText()));
        assertTrue(wb.prune().previewProperty().get().fileBytes() < first.fileBytes(), "more sparsity, smaller file");
        robot.clickOn("#prune-sensitivity");
        f.waitFor(
                "sensitivity curves",
                120,
                () -> !wb.prune().sensitivityProperty().get().isEmpty());
        robot.clickOn("#prune-apply");
        f.waitFor("the pruned variant", 120, () -> wb.workspace().variants().size() == 2);
        Variant pruned = wb.workspace().variants().get(1);
        assertEquals("v0", pruned.parent());
        assertEquals(0.9, pruned.metrics().sparsity(), 0.03);
        assertEquals(2, fx(() -> wb.variants().plottedCount()), "the new variant is on the trade-off chart");

        f.tab(4);
        f.waitFor(
                "the quantization preview",
                60,
                () -> wb.quantize().previewProperty().get() != null);
        robot.interact(() -> wb.quantize().bitsProperty().set(4));
        f.waitFor(
                "the 4-bit preview",
                60,
                () -> wb.quantize().previewProperty().get().spec().bits() == 4);
        assertTrue(wb.quantize().previewProperty().get().ratio() > 5, "4-bit codes are much smaller than float32");
        robot.interact(() -> wb.quantize().bitsProperty().set(6));
        f.waitFor(
                "the 6-bit preview",
                60,
                () -> wb.quantize().previewProperty().get().spec().bits() == 6);
        robot.clickOn("#quant-apply");
        f.waitFor("the quantized variant", 120, () -> wb.workspace().variants().size() == 3);
        Variant q = wb.workspace().variants().get(2);
        assertEquals("quantize", q.step());
        assertEquals(Files.size(run.resolve(q.modelFile())), q.metrics().fileBytes(), "its size is its real file");
        assertEquals(3, fx(() -> wb.variants().plottedCount()));

        f.tab(5);
        DistillViewModel d = wb.distill();
        f.waitFor(
                "the teacher and the student",
                60,
                () -> d.readyProperty().get()
                        && "v0".equals(d.teacherProperty().get().variant())
                        && d.studentTextProperty().get().contains("of the teacher's"));
        robot.interact(() -> {
            d.epochsProperty().set(2);
            d.hintLayerProperty()
                    .set(d.hintLayers().stream()
                            .filter(l -> "conv2".equals(l.name()))
                            .findFirst()
                            .orElseThrow());
        });
        assertEquals("conv2", d.guidedLayerProperty().get().name(), "the student's layer of the same name");
        String halfWidth = d.studentTextProperty().get();
        robot.interact(() -> d.widthProperty().set(0.25));
        f.waitFor("the thinner student", 60, () -> d.studentTextProperty().get().startsWith("lenet5 x0.25"));
        assertEquals("conv2", d.hintLayerProperty().get().name(), "a new width keeps the hint layers: " + halfWidth);
        assertEquals("conv2", d.guidedLayerProperty().get().name());
        f.waitFor("the settings check", 30, () -> d.problemProperty().get().isEmpty());
        robot.clickOn("#distill-start");
        f.waitFor(
                "the students",
                300,
                () -> !d.runningProperty().get() && wb.workspace().variants().size() == 6);
        java.util.List<Variant> students = wb.workspace().variants().subList(3, 6);
        assertEquals(
                java.util.Arrays.asList(null, "v0", "v0"),
                students.stream().map(Variant::parent).toList(),
                "scratch has no parent; kd and hints+kd come from the teacher");
        for (var m : dev.keiryo.engine.api.compress.DistillMode.values()) {
            assertEquals(2, d.curves(m).getSeries(0).getItemCount(), "a point per epoch: " + m.id());
        }
        assertTrue(d.hintLoss().getSeries(0).getItemCount() > 0, "the hint stage's loss");
        assertEquals("v0", d.teacherProperty().get().variant(), "the teacher stays chosen as the students are added");
        assertEquals("conv2", d.hintLayerProperty().get().name());
        assertEquals(6, fx(() -> wb.variants().plottedCount()), "the students are on the trade-off chart");

        f.tab(6);
        robot.interact(() -> wb.variants()
                .compare(java.util.List.of(wb.workspace().variants().get(0), q)));
        robot.interact(() -> wb.workspace().baseProperty().set(pruned));
        f.tab(1);
        f.waitFor(
                "the pruned variant's layers",
                60,
                () -> wb.model().titleProperty().get().contains("v1")
                        && wb.model().histogramProperty().get() != null
                        && wb.model().histogramProperty().get().zeros() > 0);
        assertEquals(
                3,
                ExperimentFile.read(run.resolve(Run.EXPERIMENT_FILE)).steps().size(),
                "the run's experiment file replays the session headless");

        f.tab(7);
        f.waitFor("the runs list", 30, () -> !wb.experiments().runs().isEmpty());
        assertTrue(wb.experiments()
                .commandProperty()
                .get()
                .contains("./keiryo train " + run.resolve(Run.EXPERIMENT_FILE)));
        assertFalse(
                wb.workspace().status().errorProperty().get(),
                wb.workspace().status().messageProperty().get());

        // Data-parallel training from the same sheet: two workers averaging every 2 iterations.
        f.tab(2);
        fx(() -> {
            wb.train().settings().limitTrainProperty().set(600);
            wb.train().settings().epochsProperty().set(1);
            wb.train().settings().latencyProperty().set(false);
            wb.train().settings().modeProperty().set(ParallelSpec.TrainMode.SYNC);
            wb.train().settings().averagingFrequencyProperty().set(2);
            // the pruned and quantized variants above are replaced: say yes to the question
            wb.train().previousRun().setConfirm(question -> true);
            return null;
        });
        assertTrue(
                wb.experiments().commandProperty().get().contains("--mode sync --workers 2 --averaging-frequency 2"),
                wb.experiments().commandProperty().get());
        robot.clickOn("#train-start");
        f.waitFor(
                "parallel training to finish",
                300,
                () -> !wb.train().runningProperty().get()
                        && wb.workspace()
                                .session()
                                .map(s -> !s.runDir().equals(run))
                                .orElse(false));
        Path parallel = wb.workspace().session().orElseThrow().runDir();
        assertEquals(
                ParallelSpec.TrainMode.SYNC,
                ExperimentFile.read(parallel.resolve(Run.EXPERIMENT_FILE))
                        .train()
                        .parallel()
                        .mode());
        assertTrue(wb.train().speedData().getSeries(0).getItemCount() > 0, "the speed chart was fed");
        f.waitFor(
                "the new model's previews",
                60,
                () -> wb.prune().readyProperty().get()
                        && wb.quantize().readyProperty().get()
                        && wb.distill().readyProperty().get());
        screenshot(f.stage.getScene(), "train-parallel");
        assertFalse(
                wb.workspace().status().errorProperty().get(),
                wb.workspace().status().messageProperty().get());
    }
}
