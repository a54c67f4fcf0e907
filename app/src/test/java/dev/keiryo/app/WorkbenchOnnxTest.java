package dev.keiryo.app;

import static dev.keiryo.app.WorkbenchFixture.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.app.variants.VariantsView;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.MenuButton;
import javafx.scene.control.TreeTableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Models that come from PyTorch and leave for ONNX Runtime: the Model view opens one, Variants exports one. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchOnnxTest {
    /** A residual CNN with batch norm that torch.onnx.export wrote (the engine's import fixtures). */
    private static final Path RESNET_ONNX =
            Path.of("..", "engine", "src", "test", "resources", "onnx", "resnet_bn.onnx");

    @RegisterExtension
    final WorkbenchFixture f = new WorkbenchFixture();

    @TempDir
    Path tmp;

    @Start
    void start(Stage stage) {
        f.start(stage);
    }

    @Test
    void theModelViewOpensAnOnnxFileAsTheGraphItImportsTo(FxRobot robot) {
        f.tab(1);
        robot.interact(() -> f.wb.model().open(RESNET_ONNX));
        f.waitFor(
                "the imported model",
                120,
                () -> f.wb.model().titleProperty().get().contains("resnet_bn.onnx")
                        || f.wb.workspace().status().messageProperty().get().contains("Could not open"));
        assertEquals("resnet_bn.onnx", fx(() -> f.wb.model().titleProperty().get()));
        assertFalse(fx(() -> f.wb.model().rows().isEmpty()));
        assertTrue(fx(() -> f.wb.model().branchedProperty().get()), "its residual sum shows as a branch join");
    }

    @Test
    void aVariantExportsAsOnnx(FxRobot robot) throws java.io.IOException {
        Experiment d = Workspace.defaults();
        Experiment quick = d.withData(d.data().withLimitTrain(600))
                .withModel(d.model().withPreset(ModelSpec.Preset.LENET300))
                .withEval(d.eval().withLatency(false));
        var session = Engine.local().start(f.wb.workspace().runsFolder(), quick, null, null);
        robot.interact(() -> f.wb.workspace().showSession(session));
        f.tab(6);
        VariantsView view = find(robot.lookup("#variants-table").query());
        AtomicReference<String> suggested = new AtomicReference<>();
        Path out = tmp.resolve("v0.onnx");
        robot.interact(() -> view.setSaveDialog(name -> {
            suggested.set(name);
            return out.toFile();
        }));
        MenuButton export = robot.lookup("#variants-export-onnx").queryAs(MenuButton.class);
        assertTrue(fx(export::isDisabled), "nothing selected, nothing to export");
        robot.interact(() -> robot.lookup("#variants-table")
                .queryAs(TreeTableView.class)
                .getSelectionModel()
                .select(0));
        assertFalse(fx(export::isDisabled), "one variant selected");
        robot.clickOn(export).clickOn("float32");
        f.waitFor("the ONNX file", 60, () -> Files.isRegularFile(out));
        assertEquals("v0.onnx", suggested.get());
        assertTrue(Files.size(out) > 100_000, "LeNet-300-100's float32 weights are in it: " + Files.size(out));
    }

    private static VariantsView find(javafx.scene.Node n) {
        javafx.scene.Node p = n;
        while (p != null && !(p instanceof VariantsView)) {
            p = p.getParent();
        }
        return (VariantsView) p;
    }
}
