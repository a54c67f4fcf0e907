package dev.keiryo.app;

import static dev.keiryo.app.WorkbenchFixture.fx;
import static dev.keiryo.app.WorkbenchFixture.screenshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.app.model.VertexRow;
import dev.keiryo.engine.api.compress.PrunePreviewResult;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.PruneMode;
import dev.keiryo.engine.api.run.Variant;
import java.nio.file.Path;
import java.util.Objects;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * A graph model through the workbench, headless: a thin ResNet-20 (residual sums, batch norm) trained
 * for one epoch on the bundled colour shapes, then every view that works on it: the Model view's
 * vertices with their inputs, the pruning preview following its slider, the quantization preview,
 * a quantized variant, the Distill view and the trade-off chart. With -Dkeiryo.screenshots=DIR it saves
 * the Model view (the docs' model-resnet20.png).
 */
@ExtendWith(ApplicationExtension.class)
class WorkbenchGraphTest {
    private static final Path SHAPES =
            Path.of("..", "assets", "data", "shapes-sample").toAbsolutePath().normalize();

    @RegisterExtension
    final WorkbenchFixture f = new WorkbenchFixture();

    @Start
    void start(Stage stage) {
        f.start(stage);
    }

    @Test
    void aResidualNetworkTrainsAndEveryViewWorksOnIt(FxRobot robot) throws Exception {
        Workbench wb = f.wb;
        f.waitFor(
                "the bundled sample to load",
                60,
                () -> !wb.data().loadingProperty().get() && !wb.data().samples().isEmpty());
        robot.interact(() -> {
            wb.data().sourceProperty().set(DataSpec.Source.IMAGES);
            wb.data().pathProperty().set(SHAPES.toString());
        });
        robot.clickOn("#data-load");
        f.waitFor(
                "the shapes to load",
                60,
                () -> !wb.data().loadingProperty().get()
                        && wb.workspace().experiment().data().source() == DataSpec.Source.IMAGES);
        assertEquals("", fx(() -> wb.data().errorProperty().get()));

        f.tab(1);
        robot.interact(() -> {
            wb.model().presetProperty().set(ModelSpec.Preset.RESNET20);
            wb.model().widthProperty().set(0.25);
        });
        assertEquals(
                ModelSpec.Preset.RESNET20, wb.workspace().experiment().model().preset());

        f.tab(2);
        fx(() -> {
            wb.train().settings().epochsProperty().set(1);
            wb.train().settings().batchSizeProperty().set(16);
            wb.train().settings().latencyProperty().set(false);
            return null;
        });
        robot.clickOn("#train-start");
        f.waitFor(
                "training to finish",
                300,
                () -> !wb.train().runningProperty().get()
                        && !wb.workspace().variants().isEmpty());
        assertFalse(
                wb.workspace().status().errorProperty().get(),
                wb.workspace().status().messageProperty().get());

        f.tab(1);
        f.waitFor(
                "the trained model's vertices",
                60,
                () -> wb.model().titleProperty().get().contains("v0")
                        && wb.model().rows().stream()
                                .anyMatch(r -> r.vertex().name().equals("s3b3.add")));
        assertTrue(fx(() -> wb.model().branchedProperty().get()));
        assertTrue(fx(() ->
                table(robot).getColumns().stream().anyMatch(c -> "Inputs".equals(c.getText()) && c.isVisible())));
        VertexRow projection = fx(() -> wb.model().rows().stream()
                .filter(r -> r.vertex().name().equals("s2b1.add"))
                .findFirst()
                .orElseThrow());
        assertEquals("add(s2b1.conv2.bn, s2b1.proj.bn)", projection.inputs());
        selectRow(robot, "s2b1.proj");
        f.waitFor(
                "the projection's weights",
                60,
                () -> wb.model().histogramProperty().get() != null
                        && "s2b1.proj"
                                .equals(wb.model().histogramProperty().get().layer()));
        selectRow(robot, "s2b1.add");
        f.waitFor(
                "all weights again for a sum",
                60,
                () -> "all".equals(wb.model().histogramProperty().get().layer()));
        selectRow(robot, "stem");
        f.waitFor(
                "the stem's weights",
                60,
                () -> "stem".equals(wb.model().histogramProperty().get().layer()));
        screenshot(f.stage.getScene(), "model-resnet20");

        f.tab(3);
        f.waitFor("the pruning preview", 60, () -> wb.prune().previewProperty().get() != null);
        PrunePreviewResult first = wb.prune().previewProperty().get();
        Slider slider = robot.lookup("#prune-slider").queryAs(Slider.class);
        robot.interact(() -> slider.setValue(0.7));
        f.waitFor(
                "the preview to follow the slider",
                60,
                () -> !Objects.equals(wb.prune().previewProperty().get(), first)
                        && wb.prune()
                                        .previewProperty()
                                        .get()
                                        .setting()
                                        .connection()
                                        .sparsity()
                                == 0.7);
        // 70% of the weights; batch norm and biases are not pruned, so a little less of all parameters.
        double sparsity = wb.prune().previewProperty().get().sparsity();
        assertTrue(sparsity > 0.6 && sparsity <= 0.7, "sparsity " + sparsity);
        assertTrue(wb.prune().previewProperty().get().fileBytes() < first.fileBytes(), "more sparsity, smaller file");
        robot.clickOn("#prune-sensitivity");
        f.waitFor(
                "sensitivity curves",
                120,
                () -> wb.prune().sensitivityProperty().get().containsKey("s2b1.proj"));
        robot.interact(() -> wb.prune().modeProperty().set(PruneMode.UNIT));
        f.waitFor(
                "unit pruning's preview of the residual network, its filters pruned in coupled groups",
                60,
                () -> wb.prune().previewProperty().get().setting().isUnit());
        assertTrue(
                wb.prune().previewProperty().get().parameters() < first.parameters(),
                "the unit preview shrinks the network");
        robot.interact(() -> wb.prune().modeProperty().set(PruneMode.CONNECTION));

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
        assertFalse(fx(() -> robot.lookup("#quant-preview").queryAs(Label.class).getText())
                .isBlank());
        robot.clickOn("#quant-apply");
        f.waitFor("the quantized variant", 120, () -> wb.workspace().variants().size() == 2);
        Variant q = wb.workspace().variants().get(1);
        assertEquals("v0", q.parent());

        f.tab(5);
        f.waitFor(
                "the residual teacher and its student",
                60,
                () -> wb.distill().readyProperty().get()
                        && "v0".equals(wb.distill().teacherProperty().get().variant())
                        && wb.distill().studentTextProperty().get().contains("of the teacher's"));
        String student = fx(() -> wb.distill().studentTextProperty().get());
        assertTrue(
                student.startsWith("resnet20 x0.5") && student.endsWith("x more)"),
                "wider than the teacher: " + student);

        f.tab(6);
        f.waitFor(
                "both variants on the trade-off chart", 30, () -> wb.variants().plottedCount() == 2);
        assertFalse(
                wb.workspace().status().errorProperty().get(),
                wb.workspace().status().messageProperty().get());
    }

    @SuppressWarnings("unchecked") // the Model view's table holds VertexRow rows
    private static TableView<VertexRow> table(FxRobot robot) {
        return robot.lookup("#model-layers").queryAs(TableView.class);
    }

    private static void selectRow(FxRobot robot, String vertex) {
        TableView<VertexRow> table = table(robot);
        robot.interact(() -> table.getItems().stream()
                .filter(r -> r.vertex().name().equals(vertex))
                .findFirst()
                .ifPresent(r -> {
                    table.getSelectionModel().select(r);
                    table.scrollTo(r);
                }));
    }
}
