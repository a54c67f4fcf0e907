package dev.keiryo.app.distill;

import dev.keiryo.app.charts.Axes;
import dev.keiryo.app.charts.Charts;
import dev.keiryo.app.ui.Converters;
import dev.keiryo.engine.api.compress.DistillMode;
import dev.keiryo.engine.api.experiment.DistillationSettings;
import dev.keiryo.engine.api.experiment.ModelSettings;
import dev.keiryo.engine.api.settings.Range;
import dev.keiryo.engine.api.settings.Setting;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.File;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;

/**
 * Distill: teacher and student pickers, T, alpha and the hint/guided layers; live per-epoch curves
 * of the students (scratch, KD, hints+KD) against the teacher's line, and the hint stage's loss.
 */
public final class DistillView extends BorderPane {
    private static final double WIDTH_STEP = 0.0625;

    /** One colour per mode, the same in both charts and in the engine's distill-curves.png order. */
    private static final Color[] MODE_COLOURS = {Charts.colour(7), Charts.colour(0), Charts.colour(2)};

    public DistillView(DistillViewModel vm) {
        ComboBox<DistillViewModel.TeacherChoice> teacher = new ComboBox<>(vm.teachers());
        teacher.setId("distill-teacher");
        teacher.valueProperty().bindBidirectional(vm.teacherProperty());
        Button file = new Button("Model file...");
        file.setId("distill-teacher-file");
        file.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Teacher: a model written by Keiryo");
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Keiryo models", "*.zip", "*.kpack"));
            File f = fc.showOpenDialog(getScene().getWindow());
            if (f != null) {
                vm.useTeacherFile(f.toPath());
            }
        });
        Label teacherText = wrapping("distill-teacher-text");
        teacherText.textProperty().bind(vm.teacherTextProperty());

        ComboBox<DistillViewModel.StudentKind> student = new ComboBox<>();
        student.getItems().setAll(DistillViewModel.StudentKind.values());
        student.setId("distill-student");
        student.setConverter(Converters.names(DistillViewModel.StudentKind::label));
        student.valueProperty().bindBidirectional(vm.studentProperty());
        // The declared range is (0, 16]; a spinner needs a closed lower end, so it starts at its step.
        Spinner<Double> width = new Spinner<>(
                WIDTH_STEP, ModelSettings.WIDTH_RANGE.max(), vm.widthProperty().get(), WIDTH_STEP);
        width.setId("distill-width");
        width.setEditable(true);
        width.setPrefWidth(90);
        width.setTooltip(
                new Tooltip("Multiplies the preset's layer sizes (relative to the preset, not to the teacher)."));
        width.valueProperty().addListener((o, a, w) -> vm.widthProperty().set(w));
        vm.widthProperty().addListener((o, a, w) -> width.getValueFactory().setValue(w.doubleValue()));
        Label studentText = wrapping("distill-student-text");
        studentText.textProperty().bind(vm.studentTextProperty());

        TextField temperature = number("distill-temperature", vm.temperatureProperty());
        temperature.setTooltip(
                new Tooltip("Softmax temperature T > 0 of the soft targets (Hinton et al. used 2 to 20)."));
        TextField alpha = number("distill-alpha", vm.alphaProperty());
        alpha.setTooltip(
                new Tooltip("Weight of the teacher's soft targets in [0, 1]; 1 - alpha weighs the true labels."));
        Spinner<Integer> epochs = spinner("distill-epochs", DistillationSettings.EPOCHS, vm.epochsProperty());
        Spinner<Integer> seeds = spinner("distill-seeds", DistillationSettings.SEEDS, vm.seedsProperty());
        seeds.setTooltip(new Tooltip("Each mode is trained once per seed (the experiment's seed, +1, ...)."));
        CheckBox compare = new CheckBox("compare with the student trained from scratch");
        compare.setId("distill-compare");
        compare.selectedProperty().bindBidirectional(vm.compareProperty());

        ComboBox<DistillViewModel.LayerChoice> hint = new ComboBox<>(vm.hintLayers());
        hint.setId("distill-hint");
        hint.valueProperty().bindBidirectional(vm.hintLayerProperty());
        ComboBox<DistillViewModel.LayerChoice> guided = new ComboBox<>(vm.guidedLayers());
        guided.setId("distill-guided");
        guided.valueProperty().bindBidirectional(vm.guidedLayerProperty());
        Spinner<Integer> hintEpochs =
                spinner("distill-hint-epochs", DistillationSettings.HINT_EPOCHS, vm.hintEpochsProperty());
        hintEpochs.disableProperty().bind(vm.hintLayerProperty().isEqualTo(DistillViewModel.LayerChoice.NONE));

        Button start = new Button("Start");
        start.setId("distill-start");
        start.disableProperty()
                .bind(vm.runningProperty()
                        .or(vm.readyProperty().not())
                        .or(vm.problemProperty().isNotEmpty()));
        start.setOnAction(e -> vm.start());
        Button stop = new Button("Stop");
        stop.setId("distill-stop");
        stop.disableProperty().bind(vm.runningProperty().not());
        stop.setOnAction(e -> vm.stop());
        TextField widths = new TextField();
        widths.setId("distill-sweep-widths");
        widths.setPrefColumnCount(16);
        widths.textProperty().bindBidirectional(vm.sweepWidthsProperty());
        widths.setTooltip(new Tooltip("Student widths in (0, 1], separated by commas: one student per width."));
        Button sweep = new Button("Sweep widths");
        sweep.setId("distill-sweep");
        sweep.setTooltip(
                new Tooltip("Distils one KD student per width (hints+KD with hint layers) with the T, alpha, epochs,"
                        + " seeds and layers above, without the scratch comparison. Each student is on the Variants tab and the"
                        + " trade-off chart as soon as it is finished; Stop keeps the finished ones."));
        sweep.disableProperty()
                .bind(start.disableProperty().or(vm.sweepProblemProperty().isNotEmpty()));
        sweep.setOnAction(e -> vm.sweep());
        Label sweepProblem = wrapping("distill-sweep-problem");
        sweepProblem.getStyleClass().add("error-text");
        sweepProblem.textProperty().bind(vm.sweepProblemProperty());
        ProgressBar progress = new ProgressBar();
        progress.progressProperty().bind(vm.progressProperty());
        progress.setPrefWidth(220);
        Label problem = wrapping("distill-problem");
        problem.getStyleClass().add("error-text");
        problem.textProperty().bind(vm.problemProperty());
        Label message = wrapping("distill-message");
        message.textProperty().bind(vm.messageProperty());
        Label summary = wrapping("distill-summary");
        summary.getStyleClass().add("preview");
        summary.textProperty().bind(vm.summaryProperty());

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, new Label("Teacher"), teacher, file, teacherText);
        form.addRow(1, new Label("Student"), student, new HBox(6, new Label("width"), width), studentText);
        form.addRow(
                2,
                new Label("Hint layer (teacher)"),
                hint,
                new HBox(6, new Label("hint epochs"), hintEpochs),
                new HBox(6, new Label("guided layer (student)"), guided));
        form.add(new Label("Distillation"), 0, 3);
        form.add(
                new HBox(
                        8,
                        new Label("temperature T"),
                        temperature,
                        new Label("alpha"),
                        alpha,
                        new Label("epochs"),
                        epochs,
                        new Label("seeds"),
                        seeds,
                        compare),
                1,
                3,
                3,
                1);
        form.add(new Label("Width sweep"), 0, 4);
        HBox sweepRow = new HBox(8, widths, sweep, sweepProblem);
        form.add(sweepRow, 1, 4, 3, 1);
        HBox.setHgrow(sweepProblem, Priority.ALWAYS);
        form.getChildren().stream()
                .filter(n -> n instanceof HBox)
                .forEach(n -> ((HBox) n).setAlignment(Pos.CENTER_LEFT));
        // In a narrow window the layer pickers give way, not the captions ("Hint layer (teac...").
        keepCaptions(form);
        for (ComboBox<?> c : java.util.List.of(teacher, student, hint, guided)) {
            c.setPrefWidth(c == hint || c == guided ? 220 : 260);
            c.setMinWidth(120);
        }
        GridPane.setHgrow(teacherText, Priority.ALWAYS);
        problem.managedProperty().bind(problem.visibleProperty());
        problem.visibleProperty().bind(vm.problemProperty().isNotEmpty());
        HBox actions = new HBox(8, start, stop, progress, message);
        actions.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(message, Priority.ALWAYS);
        VBox top = new VBox(
                8,
                new dev.keiryo.app.ui.CurrentVariant("distill-variant", "Teacher", vm.teacherVariantProperty()),
                form,
                problem,
                actions,
                summary);
        top.setPadding(new Insets(10));

        ChartViewer curves = new ChartViewer(curveChart(vm));
        curves.setId("distill-curves");
        ChartViewer hintView = new ChartViewer(hintChart(vm));
        hintView.setId("distill-hint-chart");
        HBox charts = new HBox(6, curves, hintView);
        HBox.setHgrow(curves, Priority.ALWAYS);
        HBox.setHgrow(hintView, Priority.ALWAYS);
        curves.setPrefWidth(760);
        hintView.setPrefWidth(440);
        charts.setPadding(new Insets(0, 10, 10, 10));
        setTop(top);
        setCenter(charts);
    }

    private static JFreeChart curveChart(DistillViewModel vm) {
        JFreeChart c = Charts.lines(
                "Students per epoch against the teacher",
                "epoch",
                vm.curveSetProperty().get() + " accuracy",
                vm.curves(DistillMode.SCRATCH),
                true);
        XYPlot p = c.getXYPlot();
        Axes.apply(c, Axes.Kind.INTEGER, Axes.Kind.PERCENT);
        vm.curveSetProperty().addListener((o, a, set) -> p.getRangeAxis().setLabel(set + " accuracy"));
        DistillMode[] modes = DistillMode.values();
        for (int i = 0; i < modes.length; i++) {
            if (i > 0) {
                p.setDataset(i, vm.curves(modes[i]));
            }
            p.setRenderer(i, modeRenderer(MODE_COLOURS[i], true));
        }
        XYLineAndShapeRenderer teacher = modeRenderer(Charts.colour(1), false);
        teacher.setDefaultStroke(
                new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {7f, 5f}, 0f));
        p.setDataset(modes.length, vm.teacherLine());
        p.setRenderer(modes.length, teacher);
        // A width sweep's students: one colour per width, none of them the teacher's red.
        XYLineAndShapeRenderer widths = new XYLineAndShapeRenderer(true, true);
        Color[] sweepColours = {
            Charts.colour(0),
            Charts.colour(2),
            Charts.colour(3),
            Charts.colour(4),
            Charts.colour(5),
            Charts.colour(6),
            Charts.colour(7)
        };
        for (int i = 0; i < sweepColours.length; i++) {
            widths.setSeriesPaint(i, sweepColours[i]);
            widths.setSeriesStroke(i, new BasicStroke(1.8f));
        }
        widths.setDefaultToolTipGenerator((ds, s, i) -> String.format(
                Locale.ROOT, "%s: epoch %.0f, %.4f", ds.getSeriesKey(s), ds.getXValue(s, i), ds.getYValue(s, i)));
        p.setDataset(modes.length + 1, vm.sweepCurves());
        p.setRenderer(modes.length + 1, widths);
        return c;
    }

    private static JFreeChart hintChart(DistillViewModel vm) {
        JFreeChart c = Charts.lines(
                "Hint stage (FitNets): L2 loss to the teacher's hint",
                "epoch of the hint stage",
                "loss per minibatch",
                vm.hintLoss(),
                false);
        c.getXYPlot().setRenderer(modeRenderer(MODE_COLOURS[2], false));
        Axes.apply(c, Axes.Kind.PLAIN, Axes.Kind.PLAIN);
        return c;
    }

    /** Every series of a mode in the mode's colour (one series per seed). */
    private static XYLineAndShapeRenderer modeRenderer(Color colour, boolean shapes) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, shapes);
        r.setAutoPopulateSeriesPaint(false);
        r.setAutoPopulateSeriesStroke(false);
        r.setDefaultPaint(colour);
        r.setDefaultStroke(new BasicStroke(1.8f));
        r.setDefaultToolTipGenerator((ds, s, i) -> String.format(
                Locale.ROOT, "%s: epoch %.2f, %.4f", ds.getSeriesKey(s), ds.getXValue(s, i), ds.getYValue(s, i)));
        return r;
    }

    /** Captions (labels without an id) at their full width; the wrapping texts keep wrapping. */
    private static void keepCaptions(javafx.scene.Parent p) {
        for (javafx.scene.Node n : p.getChildrenUnmodifiable()) {
            if (n instanceof Label l && l.getId() == null) {
                l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            } else if (n instanceof HBox h) {
                keepCaptions(h);
            }
        }
    }

    private static Label wrapping(String id) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        return l;
    }

    /**
     * A number field that hands every value that parses to the view model as it is typed; the view
     * model then shows the engine's sentence for a bad one (T = 0, alpha = 1.5).
     */
    private static TextField number(String id, javafx.beans.property.DoubleProperty p) {
        TextField f = new TextField(text(p.get()));
        f.setId(id);
        f.setPrefColumnCount(5);
        f.setTextFormatter(new TextFormatter<>(
                c -> c.getControlNewText().matches("-?[0-9]*\\.?[0-9]*([eE]-?[0-9]*)?") ? c : null));
        f.textProperty().addListener((o, a, t) -> {
            Double v = parse(t);
            if (v != null) {
                p.set(v);
            }
        });
        p.addListener((o, a, v) -> {
            Double shown = parse(f.getText());
            if (shown == null || shown != v.doubleValue()) {
                f.setText(text(v.doubleValue()));
            }
        });
        return f;
    }

    private static Double parse(String t) {
        try {
            return Double.valueOf(t);
        } catch (NumberFormatException e) {
            return null; // half-typed ("0.", "-"): wait for more
        }
    }

    private static String text(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e6 ? Long.toString((long) v) : Double.toString(v);
    }

    /** A spinner over the range the setting declares (an open upper end becomes the largest int). */
    private static Spinner<Integer> spinner(
            String id, Setting<Integer> declared, javafx.beans.property.IntegerProperty p) {
        Range r = declared.range().orElseThrow();
        int max = Double.isFinite(r.max()) ? (int) r.max() : Integer.MAX_VALUE;
        Spinner<Integer> s = new Spinner<>((int) r.min(), max, p.get());
        s.setId(id);
        s.setEditable(true);
        s.setPrefWidth(80);
        s.valueProperty().addListener((o, a, v) -> p.set(v));
        p.addListener((o, a, v) -> s.getValueFactory().setValue(v.intValue()));
        return s;
    }
}
