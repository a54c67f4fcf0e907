package dev.keiryo.app;

import static dev.keiryo.app.WorkbenchFixture.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.run.Variant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Labeled;
import javafx.scene.control.Slider;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The default flow as a newcomer walks it (open, train with the defaults, a pruning preview and
 * Apply, the pruned variant's quantization preview and Apply, distil, Variants), checked on the live scene graph at 1024x680 and
 * 1600x1000: every chart's tick labels distinct, no label in Prune, Quantize or Distill cut
 * short, one arrow key one slider step, the current variant named in each operation view, and no
 * variant shown in Distill that the run does not have. With -Dkeiryo.screenshots=DIR it trains on
 * all of the bundled sample and saves the docs' screenshots of this flow (at 1280x800); without,
 * it trains on 500 examples and distils for one epoch, so that the suite stays quick.
 */
@ExtendWith(ApplicationExtension.class)
class WorkbenchDefaultFlowTest {
    private static final boolean SCREENSHOTS =
            !System.getProperty("keiryo.screenshots", "").isBlank();
    private static final int PRUNE = 3;
    private static final int QUANTIZE = 4;
    private static final int DISTILL = 5;
    private static final Pattern VARIANT_ID = Pattern.compile("\\bv(\\d+)\\b");

    @RegisterExtension
    final WorkbenchFixture f = new WorkbenchFixture();

    @Start
    void start(Stage stage) {
        f.start(stage);
    }

    @Test
    void theDefaultFlowReadsWellAtBothWindowSizes(FxRobot robot) throws Exception {
        Workbench wb = f.wb;
        resize(1280, 800);
        f.waitFor("the bundled sample to load", 60, () -> wb.data().samples().size() == 40);
        f.waitFor("the preset's layer table", 60, () -> !wb.model().layers().isEmpty());
        shot("data");

        f.tab(2);
        if (!SCREENSHOTS) {
            fx(() -> {
                wb.train().settings().limitTrainProperty().set(500);
                return null;
            });
        }
        robot.clickOn("#train-start");
        f.waitFor(
                "training with the defaults",
                600,
                () -> !wb.train().runningProperty().get()
                        && !wb.workspace().variants().isEmpty());
        shot("train");

        f.tab(PRUNE);
        f.waitFor("the pruning preview", 60, () -> wb.prune().previewProperty().get() != null);
        robot.interact(() -> wb.prune().amountProperty().set(0.6));
        f.waitFor(
                "the 60% preview",
                60, () -> Math.abs(wb.prune().previewProperty().get().sparsity() - 0.6) < 0.02);
        shot("prune");
        robot.clickOn("#prune-apply");
        f.waitFor("the pruned variant", 300, () -> wb.workspace().variants().size() == 2);

        // As choosing it in Variants & trade-offs does: quantize the pruned variant.
        Object before = fx(() -> wb.quantize().previewProperty().get());
        robot.interact(() -> wb.variants().useAsBase(wb.workspace().variants().get(1)));
        f.tab(QUANTIZE);
        f.waitFor(
                "the pruned variant's quantization preview",
                60,
                () -> wb.quantize().readyProperty().get()
                        && !java.util.Objects.equals(
                                wb.quantize().previewProperty().get(), before)
                        && "v1".equals(wb.workspace().baseProperty().get().id()));
        for (int bits : new int[] {6, 4}) {
            robot.interact(() -> wb.quantize().bitsProperty().set(bits));
            f.waitFor(
                    "the " + bits + "-bit preview",
                    60,
                    () -> wb.quantize().previewProperty().get().spec().bits() == bits);
        }
        shot("quantize");
        robot.clickOn("#quant-apply");
        f.waitFor("the quantized variant", 120, () -> wb.workspace().variants().size() == 3);

        f.tab(DISTILL);
        f.waitFor("the teacher", 60, () -> wb.distill().readyProperty().get());
        if (!SCREENSHOTS) {
            robot.interact(() -> wb.distill().epochsProperty().set(1));
        }
        f.waitFor(
                "the settings check",
                30,
                () -> wb.distill().problemProperty().get().isEmpty());
        robot.clickOn("#distill-start");
        f.waitFor(
                "the students",
                600,
                () -> !wb.distill().runningProperty().get()
                        && wb.workspace().variants().size() > 3);
        shot("distill");

        f.tab(6);
        shot("variants");
        Variant pruned = fx(() -> wb.workspace().variants().get(1));
        robot.interact(() -> wb.workspace().baseProperty().set(pruned));
        f.tab(1);
        f.waitFor(
                "the pruned variant's layers",
                60,
                () -> wb.model().titleProperty().get().contains("v1")
                        && wb.model().histogramProperty().get() != null);
        shot("model");
        f.tab(7);
        f.waitFor("the runs list", 30, () -> !wb.experiments().runs().isEmpty());
        shot("experiments");
        assertFalse(
                fx(() -> wb.workspace().status().errorProperty().get()),
                fx(() -> wb.workspace().status().messageProperty().get()));

        for (int[] size : new int[][] {{1600, 1000}, {1024, 680}}) {
            resize(size[0], size[1]);
            String at = size[0] + "x" + size[1];
            for (int tab : new int[] {2, PRUNE, QUANTIZE, DISTILL, 6}) {
                Node view = show(tab);
                distinctTicks(view, at);
                if (tab == PRUNE || tab == QUANTIZE || tab == DISTILL) {
                    nothingCutShort(view, at);
                    oneStepPerArrowKey(robot, view, at);
                }
            }
            String base = fx(() -> wb.workspace().baseProperty().get().id());
            named(PRUNE, "#prune-variant", "Pruning: " + base + " ");
            named(QUANTIZE, "#quant-variant", "Quantizing: " + base + " ");
            String teacher = fx(() -> wb.distill().teacherProperty().get().variant());
            named(DISTILL, "#distill-variant", "Teacher: " + teacher + " ");
            onlyVariantsThatExist(show(DISTILL), at);
        }
    }

    private void resize(double w, double h) {
        fx(() -> {
            f.stage.setWidth(w);
            f.stage.setHeight(h);
            return null;
        });
    }

    private void shot(String name) throws java.io.IOException {
        WorkbenchFixture.screenshot(f.stage.getScene(), name);
    }

    /** Shows a tab and lays it out, so that the checks see what is on screen. */
    private Node show(int tab) {
        f.tab(tab);
        return fx(() -> {
            Parent root = f.stage.getScene().getRoot();
            root.applyCss();
            root.layout();
            return f.wb.tabs().getTabs().get(tab).getContent();
        });
    }

    private void named(int tab, String id, String start) {
        Node view = show(tab);
        String text = fx(() -> ((Labeled) view.lookup(id)).getText());
        assertTrue(text.startsWith(start), id + ": " + text);
    }

    private static List<Node> all(Node n) {
        List<Node> out = new ArrayList<>();
        out.add(n);
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                out.addAll(all(c));
            }
        }
        return out;
    }

    private static boolean shown(Node n) {
        for (Node a = n; a != null; a = a.getParent()) {
            if (!a.isVisible()) {
                return false;
            }
        }
        return true;
    }

    private static void nothingCutShort(Node view, String at) {
        List<String> cut = fx(() -> {
            List<String> out = new ArrayList<>();
            for (Node n : all(view)) {
                if (n instanceof Labeled l
                        && shown(l)
                        && l.getText() != null
                        && !l.getText().isEmpty()) {
                    String full = l.isMnemonicParsing() ? l.getText().replace("_", "") : l.getText();
                    for (Node c : l.getChildrenUnmodifiable()) {
                        if (c instanceof Text t && !full.equals(t.getText())) {
                            out.add("'" + full + "' shows as '" + t.getText() + "' (" + l.getId() + ")");
                        }
                    }
                }
            }
            return out;
        });
        assertTrue(cut.isEmpty(), "cut short at " + at + ": " + cut);
    }

    private static void distinctTicks(Node view, String at) {
        List<String> problems = fx(() -> {
            List<String> out = new ArrayList<>();
            for (Node n : all(view)) {
                if (n instanceof ChartViewer v && shown(v) && v.getChart().getPlot() instanceof XYPlot p) {
                    int w = (int) Math.max(1, v.getWidth());
                    int h = (int) Math.max(1, v.getHeight());
                    for (boolean domain : new boolean[] {true, false}) {
                        ValueAxis axis = domain ? p.getDomainAxis() : p.getRangeAxis();
                        if (axis == null) {
                            continue;
                        }
                        List<String> labels = TickLabels.drawn(
                                v.getChart(), axis, domain ? RectangleEdge.BOTTOM : RectangleEdge.LEFT, w, h);
                        if (labels.size() != new HashSet<>(labels).size()) {
                            out.add(v.getId() + " " + axis.getLabel() + ": " + labels);
                        }
                    }
                }
            }
            return out;
        });
        assertTrue(problems.isEmpty(), "repeated tick labels at " + at + ": " + problems);
    }

    private static void oneStepPerArrowKey(FxRobot robot, Node view, String at) {
        List<Slider> sliders = fx(() -> all(view).stream()
                .filter(n -> n instanceof Slider s && shown(s) && !s.isDisabled())
                .map(n -> (Slider) n)
                .toList());
        for (Slider s : sliders) {
            double was = fx(s::getValue);
            boolean up = was + s.getBlockIncrement() <= s.getMax() + 1e-9;
            robot.interact(s::requestFocus);
            robot.type(up ? KeyCode.RIGHT : KeyCode.LEFT);
            double moved = fx(s::getValue) - was;
            assertEquals(
                    (up ? 1 : -1) * s.getBlockIncrement(), moved, 1e-9, s.getId() + " at " + at + " moved " + moved);
            robot.type(up ? KeyCode.LEFT : KeyCode.RIGHT);
            assertEquals(was, fx(s::getValue), 1e-9, s.getId() + " goes back");
        }
    }

    private void onlyVariantsThatExist(Node view, String at) {
        Set<String> ids = new HashSet<>(
                fx(() -> f.wb.workspace().variants().stream().map(Variant::id).toList()));
        List<String> texts = fx(() -> {
            List<String> out = new ArrayList<>();
            for (Node n : all(view)) {
                if (n instanceof Labeled l && shown(l) && l.getText() != null) {
                    out.add(l.getText());
                } else if (n instanceof ComboBox<?> box) {
                    box.getItems().forEach(i -> out.add(String.valueOf(i)));
                }
            }
            return out;
        });
        for (String text : texts) {
            Matcher m = VARIANT_ID.matcher(text);
            while (m.find()) {
                assertTrue(
                        ids.contains(m.group()),
                        m.group() + " at " + at + " is not a variant of the run " + ids + ": " + text);
            }
        }
    }
}
