package dev.keiryo.app;

import static dev.keiryo.app.WorkbenchFixture.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.settings.Choice;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * What a newcomer meets first: sliders that move one step per arrow key, the variant each operation
 * works on shown in its view, and settings shown as the experiment file spells them.
 */
@ExtendWith(ApplicationExtension.class)
class WorkbenchFirstMinutesTest {
    @RegisterExtension
    final WorkbenchFixture f = new WorkbenchFixture();

    @Start
    void start(Stage stage) {
        f.start(stage);
    }

    @Test
    void oneArrowKeyIsOneStepAndEveryOperationSaysWhichVariantItWorksOn(FxRobot robot) throws Exception {
        Experiment d = Workspace.defaults();
        Experiment quick = d.withData(d.data().withLimitTrain(600))
                .withModel(d.model().withPreset(ModelSpec.Preset.LENET300))
                .withEval(d.eval().withLatency(false));
        var session = Engine.local().start(f.wb.workspace().runsFolder(), quick, null, null);
        robot.interact(() -> f.wb.workspace().showSession(session));

        f.tab(3);
        f.waitFor("the pruning preview", 60, () -> f.wb.prune().readyProperty().get());
        Slider prune = robot.lookup("#prune-slider").queryAs(Slider.class);
        double was = prune.getValue();
        robot.interact(prune::requestFocus);
        assertTrue(fx(prune::isFocused), "the amount slider has the keyboard");
        robot.type(KeyCode.RIGHT);
        assertEquals(was + 0.01, fx(prune::getValue), 1e-9, "one arrow key is one percent");
        robot.type(KeyCode.LEFT);
        assertEquals(was, fx(prune::getValue), 1e-9);
        assertWorksOn(robot, "#prune-variant", "Pruning: v0 (train), accuracy ");
        WorkbenchFixture.screenshot(f.stage.getScene(), "first-prune");

        f.tab(4);
        f.waitFor(
                "the quantization preview",
                60,
                () -> f.wb.quantize().readyProperty().get());
        Slider bits = robot.lookup("#quant-bits").queryAs(Slider.class);
        robot.interact(() -> {
            f.wb.quantize().bitsProperty().set(8);
            bits.requestFocus();
        });
        assertTrue(fx(bits::isFocused), "the bit width slider has the keyboard");
        robot.type(KeyCode.LEFT);
        assertEquals(7, f.wb.quantize().bitsProperty().get(), "one arrow key is one bit");
        robot.interact(() -> f.wb.quantize().bitsProperty().set(1));
        assertEquals(
                "1 bit",
                fx(() -> robot.lookup("#quant-bits-label").queryAs(Label.class).getText()));
        robot.type(KeyCode.RIGHT);
        assertEquals(2, f.wb.quantize().bitsProperty().get());
        assertEquals(
                "2 bits",
                fx(() -> robot.lookup("#quant-bits-label").queryAs(Label.class).getText()));
        assertWorksOn(robot, "#quant-variant", "Quantizing: v0 (train), accuracy ");
        WorkbenchFixture.screenshot(f.stage.getScene(), "first-quantize");

        f.tab(5);
        f.waitFor("the teacher", 60, () -> f.wb.distill().readyProperty().get());
        assertWorksOn(robot, "#distill-variant", "Teacher: v0 (train), accuracy ");
        WorkbenchFixture.screenshot(f.stage.getScene(), "first-distill");

        // Every slider of every view: one arrow key moves it by at most a fifteenth of its range.
        List<Slider> sliders = fx(() -> f.wb.tabs().getTabs().stream()
                .map(t -> t.getContent())
                .flatMap(n -> n.lookupAll(".slider").stream())
                .map(n -> (Slider) n)
                .toList());
        assertFalse(sliders.isEmpty());
        for (Slider s : sliders) {
            assertTrue(
                    s.getBlockIncrement() <= (s.getMax() - s.getMin()) / 15 + 1e-9,
                    s.getId() + " moves " + s.getBlockIncrement() + " per key over " + s.getMin() + ".." + s.getMax());
        }
    }

    @Test
    void retrainingAsksBeforeReplacingVariantsAndThePreviousRunIsOneClickAway(FxRobot robot) {
        Experiment d = Workspace.defaults();
        Experiment quick = d.withData(d.data().withLimitTrain(300))
                .withModel(d.model().withPreset(ModelSpec.Preset.LENET300))
                .withEval(d.eval().withLatency(false));
        var session = Engine.local().start(f.wb.workspace().runsFolder(), quick, null, null);
        session.apply(
                dev.keiryo.engine.api.experiment.StepSpec.of(new dev.keiryo.engine.api.experiment.QuantizeStepSpec(
                        "affine", 8, true, false, false, false, null)),
                null,
                null);
        robot.interact(() -> f.wb.workspace().showSession(session));
        assertEquals(2, fx(() -> f.wb.workspace().variants().size()));
        java.util.List<String> asked = new java.util.ArrayList<>();
        robot.interact(() -> f.wb.train().previousRun().setConfirm(q -> {
            asked.add(q);
            return false;
        }));

        robot.interact(() -> f.wb.train().start(quick));
        assertEquals(1, asked.size(), "asked before a new run");
        assertTrue(asked.get(0).contains("v0, v1") && asked.get(0).contains("Experiments"), asked.get(0));
        assertFalse(fx(() -> f.wb.train().runningProperty().get()), "declined: nothing started");
        assertEquals(2, fx(() -> f.wb.workspace().variants().size()), "declined: the variants stay");

        robot.interact(() -> f.wb.train().previousRun().setConfirm(q -> true));
        robot.interact(() -> f.wb.train().start(quick));
        f.waitFor(
                "the new run",
                120,
                () -> !f.wb.train().runningProperty().get()
                        && f.wb.workspace().session().isPresent()
                        && f.wb.workspace().session().get() != session);
        assertEquals(
                session.runDir(),
                fx(() -> f.wb.train().previousRun().runProperty().get()));
        assertTrue(fx(() -> f.wb.train().messageProperty().get()).contains("previous run"));
        f.tab(2);
        assertTrue(fx(() -> robot.lookup("#train-previous").query().isVisible()));
        robot.clickOn("#train-previous");
        f.waitFor(
                "the previous run's variants",
                30,
                () -> f.wb.workspace().variants().size() == 2
                        && session.runDir()
                                .equals(f.wb.workspace().openedRunProperty().get()));
    }

    @Test
    void settingsChoicesReadAsTheExperimentFileSpellsThem(FxRobot robot) {
        f.tab(2);
        List<ComboBox<?>> boxes = fx(() -> robot.lookup("#train-settings .combo-box").queryAll().stream()
                .<ComboBox<?>>map(n -> (ComboBox<?>) n)
                .toList());
        assertTrue(boxes.size() >= 3, "optimizer, data type, schedule, mode: " + boxes.size());
        for (ComboBox<?> box : boxes) {
            shownAsId(box);
        }
    }

    @SuppressWarnings("unchecked") // the sheet's choice editors hold the setting's choices
    private static void shownAsId(ComboBox<?> box) {
        ComboBox<Object> b = (ComboBox<Object>) box;
        String shown = fx(() -> b.getConverter().toString(b.getValue()));
        assertEquals(((Choice) b.getValue()).id(), shown, "the choice as the experiment file spells it");
    }

    private void assertWorksOn(FxRobot robot, String id, String start) {
        String text = fx(() -> robot.lookup(id).queryAs(Label.class).getText());
        assertTrue(text.startsWith(start) && text.matches(".*accuracy [0-9.]+%, [0-9.,]+ (B|KB|MB)"), text);
        Node n = robot.lookup(id).query();
        assertTrue(fx(n::isVisible), id + " is shown");
    }
}
