package dev.keiryo.app;

import static dev.keiryo.app.WorkbenchFixture.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.app.distill.DistillViewModel;
import dev.keiryo.app.train.TrainViewModel;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.engine.Session;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ExperimentFile;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.ParallelSpec;
import dev.keiryo.engine.api.run.RunInfo;
import dev.keiryo.engine.api.run.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.jfree.chart.fx.ChartViewer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Errors are sentences, not stack traces; a distillation starts and stops; closing during training
 * asks, then cancels cleanly.
 */
@ExtendWith(ApplicationExtension.class)
class WorkbenchBehaviourTest {
    @RegisterExtension
    final WorkbenchFixture f = new WorkbenchFixture();

    @Start
    void start(Stage stage) {
        f.start(stage);
    }

    /** A quickly trained LeNet-300-100 as the session's model, and the Distill tab showing it as the teacher. */
    private Session quickTeacher(FxRobot robot) {
        Experiment d = Workspace.defaults();
        Experiment quick = d.withData(d.data().withLimitTrain(600))
                .withModel(d.model().withPreset(ModelSpec.Preset.LENET300))
                .withEval(d.eval().withLatency(false));
        Session teacher = Engine.local().start(f.wb.workspace().runsFolder(), quick, null, null);
        robot.interact(() -> f.wb.workspace().showSession(teacher));
        f.tab(5);
        return teacher;
    }

    @Test
    void aBadCsvShowsAReadableMessage(FxRobot robot) throws Exception {
        Path csv = f.folder.resolve("broken.csv");
        Files.writeString(csv, "a,b,label\n1,2,0\n3,4\n5,6,1\n");
        f.waitFor(
                "the bundled sample to load",
                60,
                () -> !f.wb.data().loadingProperty().get()
                        && !f.wb.data().samples().isEmpty());
        robot.interact(() -> {
            f.wb.data().sourceProperty().set(DataSpec.Source.CSV);
            f.wb.data().pathProperty().set(csv.toString());
            f.wb.data().labelColumnProperty().set("label");
        });
        robot.clickOn("#data-load");
        f.waitFor(
                "the error message",
                30,
                () -> !f.wb.data().errorProperty().get().isEmpty());
        String shown = robot.lookup("#data-error").queryAs(Label.class).getText();
        assertTrue(shown.contains("broken.csv"), shown);
        assertFalse(shown.contains("Exception"), "a sentence, not a stack trace: " + shown);
        assertTrue(f.wb.workspace().status().errorProperty().get());
        assertTrue(f.stage.isShowing(), "no crash, no frozen window");

        robot.press(KeyCode.CONTROL, KeyCode.DIGIT7).release(KeyCode.DIGIT7, KeyCode.CONTROL);
        assertEquals(
                "tab-variants",
                fx(() -> f.wb.tabs().getSelectionModel().getSelectedItem().getId()),
                "Ctrl+7 shows trade-offs");
    }

    @Test
    void aDistillationStartsAndStops(FxRobot robot) throws Exception {
        Session teacher = quickTeacher(robot);
        DistillViewModel vm = f.wb.distill();
        f.waitFor(
                "the teacher",
                60,
                () -> vm.readyProperty().get() && vm.studentTextProperty().get().contains("of the teacher's"));
        robot.interact(() -> vm.epochsProperty().set(50));
        f.waitFor("the settings check", 30, () -> vm.problemProperty().get().isEmpty());
        robot.clickOn("#distill-start");
        f.waitFor(
                "the first student to train",
                120,
                () -> vm.messageProperty().get().startsWith("Student 1 of 2")
                        || vm.progressProperty().get() > 0);
        assertTrue(vm.runningProperty().get(), "50 epochs take longer than this");
        robot.clickOn("#distill-stop");
        f.waitFor("the run to stop", 60, () -> !vm.runningProperty().get());
        assertTrue(
                vm.messageProperty().get().startsWith("Stopped: 0 student variant(s)"),
                vm.messageProperty().get());
        assertEquals(1, f.wb.workspace().variants().size(), "no half-trained student becomes a variant");
        assertTrue(teacher.experiment().steps().isEmpty(), "nothing to replay");
        assertFalse(robot.lookup("#distill-start").queryButton().isDisabled(), "ready to start again");
        assertFalse(
                f.wb.workspace().status().errorProperty().get(),
                f.wb.workspace().status().messageProperty().get());
    }

    @Test
    void pauseThenContinueAShortTrainingOnTheSample(FxRobot robot) throws Exception {
        pauseThenContinue(robot, ParallelSpec.TrainMode.SINGLE, 2, "Holds training after the current minibatch");
    }

    @Test
    void pauseThenContinueASynchronousDataParallelTraining(FxRobot robot) throws Exception {
        pauseThenContinue(
                robot, ParallelSpec.TrainMode.SYNC, 1, "Holds data-parallel training after the current round");
    }

    private void pauseThenContinue(FxRobot robot, ParallelSpec.TrainMode mode, int epochs, String hint)
            throws Exception {
        TrainViewModel vm = f.wb.train();
        f.tab(2);
        fx(() -> {
            vm.settings().limitTrainProperty().set(1000);
            vm.settings().batchSizeProperty().set(32);
            vm.settings().epochsProperty().set(epochs);
            vm.settings().latencyProperty().set(false);
            vm.settings().modeProperty().set(mode);
            return null;
        });
        assertTrue(
                fx(() -> vm.pauseHintProperty().get()).startsWith(hint),
                "the tooltip says what Pause does in this mode");
        // Paused at once, so that even a fast machine cannot finish first: it holds early in the run.
        robot.clickOn("#train-start");
        robot.clickOn("#train-pause");
        f.waitFor("training to hold", 120, () -> vm.holdingProperty().get());
        assertEquals("Continue", robot.lookup("#train-pause").queryButton().getText());
        ChartViewer loss = robot.lookup("#train-loss-chart").queryAs(ChartViewer.class);
        assertEquals(
                "Loss (paused)", fx(() -> loss.getChart().getTitle().getText()), "the chart shows the paused state");
        assertEquals(
                1,
                fx(() -> loss.getChart()
                        .getXYPlot()
                        .getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND)
                        .size()));
        int held = fx(() -> vm.lossData().getSeries(0).getItemCount());
        Thread.sleep(300);
        assertEquals(held, fx(() -> vm.lossData().getSeries(0).getItemCount()), "nothing trains while paused");

        robot.clickOn("#train-pause");
        f.waitFor("training to finish", 300, () -> !vm.runningProperty().get());
        assertTrue(f.wb.workspace().session().isPresent(), vm.messageProperty().get());
        Path run = f.wb.workspace().session().orElseThrow().runDir();
        assertTrue(
                Files.readString(run.resolve(dev.keiryo.engine.experiment.Run.STATUS_FILE))
                        .contains("completed"),
                "paused and continued, the run completes");
        assertEquals(
                mode,
                ExperimentFile.read(run.resolve(dev.keiryo.engine.experiment.Run.EXPERIMENT_FILE))
                        .train()
                        .parallel()
                        .mode());
        assertEquals("Loss", fx(() -> loss.getChart().getTitle().getText()));
        assertEquals("Pause", robot.lookup("#train-pause").queryButton().getText());
        assertFalse(
                f.wb.workspace().status().errorProperty().get(),
                f.wb.workspace().status().messageProperty().get());
    }

    @Test
    void aWidthSweepPutsEachStudentOnTheTradeOffChartAsItFinishes(FxRobot robot) {
        quickTeacher(robot);
        DistillViewModel vm = f.wb.distill();
        f.waitFor(
                "the teacher",
                60,
                () -> vm.readyProperty().get()
                        && vm.problemProperty().get().isEmpty()
                        && vm.studentTextProperty().get().contains("of the teacher's"));
        robot.interact(() -> vm.epochsProperty().set(1));
        TextField widths = robot.lookup("#distill-sweep-widths").queryAs(TextField.class);
        robot.interact(() -> widths.setText("0.25, 1.5"));
        assertTrue(robot.lookup("#distill-sweep").queryButton().isDisabled(), "a width above 1 cannot be swept");
        assertTrue(robot.lookup("#distill-sweep-problem")
                .queryAs(Label.class)
                .getText()
                .contains("1.5 is not in (0, 1]"));
        robot.interact(() -> widths.setText("0.25, 0.5"));
        f.waitFor("the settings check", 30, () -> vm.problemProperty().get().isEmpty());
        List<Integer> plottedWhileRunning = new java.util.ArrayList<>();
        robot.interact(() -> f.wb.workspace().variants().addListener((javafx.collections.ListChangeListener<
                        dev.keiryo.engine.api.run.Variant>)
                c -> {
                    if (vm.runningProperty().get()) {
                        plottedWhileRunning.add(f.wb.variants().plottedCount());
                    }
                }));
        robot.clickOn("#distill-sweep");
        f.waitFor(
                "the sweep",
                300,
                () -> !vm.runningProperty().get() && f.wb.workspace().variants().size() == 3);
        assertEquals(3, fx(() -> f.wb.variants().plottedCount()), "both students are on the trade-off chart");
        assertTrue(
                plottedWhileRunning.contains(2),
                "the first student was plotted before the sweep ended: " + plottedWhileRunning);
        assertEquals(2, vm.sweepCurves().getSeriesCount());
        assertTrue(
                f.wb.experiments().commandProperty().get().contains("for w in 0.25 0.5; do ./keiryo distill "),
                f.wb.experiments().commandProperty().get());
        assertFalse(
                f.wb.workspace().status().errorProperty().get(),
                f.wb.workspace().status().messageProperty().get());
    }

    @Test
    void closingDuringTrainingAsksThenCancelsTheRunCleanly(FxRobot robot) {
        fx(() -> {
            f.wb.train().settings().limitTrainProperty().set(2000);
            f.wb.train().settings().epochsProperty().set(30);
            f.wb.train().settings().latencyProperty().set(false);
            f.wb.train().train();
            return null;
        });
        f.waitFor(
                "training to report progress",
                120,
                () -> f.wb.train().progressProperty().get() > 0);
        org.controlsfx.control.StatusBar bar = robot.lookup("#status").queryAs(org.controlsfx.control.StatusBar.class);
        double[] shown = fx(() ->
                new double[] {bar.getProgress(), f.wb.train().progressProperty().get()});
        assertTrue(shown[0] > 0, "the status bar follows training, not an animated bar that redraws every frame");
        assertEquals(shown[1], shown[0]);
        robot.interact(() -> f.stage.fireEvent(new WindowEvent(f.stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
        assertTrue(f.stage.isShowing(), "the window stays until the user answers");
        DialogPane dialog = robot.lookup("#confirm-close").queryAs(DialogPane.class);
        robot.clickOn((Button) dialog.lookupButton(ButtonType.YES));
        f.waitFor("the window to close", 120, () -> !f.stage.isShowing());
        List<RunInfo> runs = Engine.local().listRuns(f.wb.workspace().runsFolder());
        assertEquals(1, runs.size());
        assertEquals(RunState.CANCELLED, runs.get(0).state(), "the run is marked cancelled, not left running");
        assertEquals(f.stage.getWidth(), f.prefsNode.getDouble("window.width", -1), "the window size is remembered");
        assertEquals(f.folder.toAbsolutePath().toString(), f.prefsNode.get("workspace", null), "so is the workspace");
    }
}
