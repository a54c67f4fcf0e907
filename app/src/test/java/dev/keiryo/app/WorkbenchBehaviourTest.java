package dev.keiryo.app;

import static dev.keiryo.app.WorkbenchFixture.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.experiment.DataSpec;
import dev.keiryo.engine.experiment.RunInfo;
import dev.keiryo.engine.experiment.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Errors are sentences, not stack traces; closing during training asks, then cancels cleanly. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchBehaviourTest {
    @TempDir
    Path folder;
    private final WorkbenchFixture f = new WorkbenchFixture();

    @Start
    void start(Stage stage) {
        f.start(stage, folder);
    }

    @AfterEach
    void stop() throws Exception {
        f.stop();
    }

    @Test
    void aBadCsvShowsAReadableMessage(FxRobot robot) throws Exception {
        Path csv = folder.resolve("broken.csv");
        Files.writeString(csv, "a,b,label\n1,2,0\n3,4\n5,6,1\n");
        f.waitFor("the bundled sample to load", 60, () -> !f.wb.data().loadingProperty().get()
                && !f.wb.data().samples().isEmpty());
        robot.interact(() -> {
            f.wb.data().sourceProperty().set(DataSpec.Source.CSV);
            f.wb.data().pathProperty().set(csv.toString());
            f.wb.data().labelColumnProperty().set("label");
        });
        robot.clickOn("#data-load");
        f.waitFor("the error message", 30, () -> !f.wb.data().errorProperty().get().isEmpty());
        String shown = robot.lookup("#data-error").queryAs(Label.class).getText();
        assertTrue(shown.contains("broken.csv"), shown);
        assertFalse(shown.contains("Exception"), "a sentence, not a stack trace: " + shown);
        assertTrue(f.wb.workspace().status().errorProperty().get());
        assertTrue(f.stage.isShowing(), "no crash, no frozen window");

        robot.press(KeyCode.CONTROL, KeyCode.DIGIT6).release(KeyCode.DIGIT6, KeyCode.CONTROL);
        assertEquals("tab-variants", fx(() -> f.wb.tabs().getSelectionModel().getSelectedItem().getId()), "Ctrl+6 shows trade-offs");
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
        f.waitFor("training to report progress", 120, () -> f.wb.train().progressProperty().get() > 0);
        robot.interact(() -> f.stage.fireEvent(new WindowEvent(f.stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
        assertTrue(f.stage.isShowing(), "the window stays until the user answers");
        DialogPane dialog = robot.lookup("#confirm-close").queryAs(DialogPane.class);
        robot.clickOn((Button) dialog.lookupButton(ButtonType.YES));
        f.waitFor("the window to close", 120, () -> !f.stage.isShowing());
        List<RunInfo> runs = f.wb.workspace().runs().list();
        assertEquals(1, runs.size());
        assertEquals(RunState.CANCELLED, runs.get(0).state(), "the run is marked cancelled, not left running");
        assertEquals(f.stage.getWidth(), f.prefsNode.getDouble("window.width", -1), "the window size is remembered");
        assertEquals(folder.toAbsolutePath().toString(), f.prefsNode.get("workspace", null), "so is the workspace");
    }
}
