package dev.keiryo.app.train;

import dev.keiryo.app.charts.Axes;
import dev.keiryo.app.charts.Charts;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.controlsfx.control.PropertySheet;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;

/** Train: the settings sheet, Train/Stop, and live loss, accuracy and speed charts. */
public final class TrainView extends BorderPane {
    public TrainView(TrainViewModel vm) {
        PropertySheet sheet = new PropertySheet();
        sheet.setId("train-settings");
        vm.settings().settings().forEach(s -> sheet.getItems().add(new SettingItem(s)));
        // Rows that do not apply to the chosen mode are greyed out; editors are made anew to show it.
        vm.settings()
                .modeProperty()
                .addListener((o, a, m) -> javafx.application.Platform.runLater(() -> sheet.getItems()
                        .setAll(vm.settings().settings().stream()
                                .map(SettingItem::new)
                                .toList())));
        sheet.setPropertyEditorFactory(new ChoiceEditors());
        sheet.setMode(PropertySheet.Mode.NAME);
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(false);
        Button train = new Button("Train");
        train.setId("train-start");
        train.disableProperty().bind(vm.runningProperty());
        train.setOnAction(e -> vm.train());
        Button stop = new Button("Stop");
        stop.setId("train-stop");
        stop.disableProperty().bind(vm.runningProperty().not());
        stop.setOnAction(e -> vm.stop());
        Button pause = new Button("Pause");
        pause.setId("train-pause");
        pause.textProperty()
                .bind(javafx.beans.binding.Bindings.when(vm.pausedProperty())
                        .then("Continue")
                        .otherwise("Pause"));
        pause.disableProperty().bind(vm.runningProperty().not());
        pause.setOnAction(e -> vm.togglePause());
        // A disabled button shows no tooltip of its own: the hint sits on a wrapper, so it shows before training too.
        StackPane pauseBox = new StackPane(pause);
        pauseBox.setId("train-pause-box");
        Tooltip pauseTip = new Tooltip();
        pauseTip.textProperty().bind(vm.pauseHintProperty());
        pauseTip.setWrapText(true);
        pauseTip.setMaxWidth(360);
        Tooltip.install(pauseBox, pauseTip);
        Button resume = new Button("Resume");
        resume.setId("train-resume");
        resume.disableProperty()
                .bind(vm.runningProperty().or(vm.stoppedRunProperty().isNull()));
        resume.setOnAction(e -> vm.resume());
        Button previous = new Button("Show previous run");
        previous.setId("train-previous");
        previous.visibleProperty().bind(vm.previousRun().runProperty().isNotNull());
        previous.managedProperty().bind(previous.visibleProperty());
        previous.setOnAction(e -> vm.previousRun().open());
        vm.previousRun().setConfirm(TrainView::ask);
        ProgressBar progress = new ProgressBar();
        progress.progressProperty().bind(vm.progressProperty());
        progress.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(progress, Priority.ALWAYS);
        Label message = new Label();
        message.setId("train-message");
        message.setWrapText(true);
        message.textProperty().bind(vm.messageProperty());
        VBox left = new VBox(8, sheet, new HBox(8, train, pauseBox, stop, resume, progress), message, previous);
        left.setPadding(new Insets(10));
        left.setPrefWidth(380);
        VBox.setVgrow(sheet, Priority.ALWAYS);

        JFreeChart lossChart = Charts.lines("Loss", "epoch", "loss", vm.lossData(), false);
        ((org.jfree.chart.renderer.xy.XYLineAndShapeRenderer)
                        lossChart.getXYPlot().getRenderer())
                .setSeriesShapesVisible(1, true);
        ((org.jfree.chart.renderer.xy.XYLineAndShapeRenderer)
                        lossChart.getXYPlot().getRenderer())
                .setSeriesShapesVisible(2, true);
        JFreeChart accChart = Charts.lines("Accuracy", "epoch", "accuracy", vm.accuracyData(), true);
        JFreeChart speedChart = Charts.lines("Training speed", "epoch", "samples/s", vm.speedData(), false);
        Axes.apply(lossChart, Axes.Kind.PLAIN, Axes.Kind.PLAIN);
        Axes.apply(accChart, Axes.Kind.INTEGER, Axes.Kind.PERCENT);
        Axes.apply(speedChart, Axes.Kind.INTEGER, Axes.Kind.PLAIN);
        showPause(vm, lossChart, "Loss");
        showPause(vm, speedChart, "Training speed");
        ChartViewer lossView = new ChartViewer(lossChart);
        lossView.setId("train-loss-chart");
        ChartViewer accView = new ChartViewer(accChart);
        accView.setId("train-accuracy-chart");
        ChartViewer speedView = new ChartViewer(speedChart);
        speedView.setId("train-speed-chart");
        GridPane charts = new GridPane();
        charts.setHgap(6);
        charts.setVgap(6);
        charts.setPadding(new Insets(10));
        charts.add(lossView, 0, 0, 2, 1);
        charts.add(accView, 0, 1);
        charts.add(speedView, 1, 1);
        ColumnConstraints half = new ColumnConstraints();
        half.setPercentWidth(50);
        charts.getColumnConstraints().addAll(half, half);
        RowConstraints row = new RowConstraints();
        row.setPercentHeight(50);
        charts.getRowConstraints().addAll(row, row);
        setLeft(left);
        setCenter(charts);
    }

    private static boolean ask(String question) {
        javafx.scene.control.Alert a = new javafx.scene.control.Alert(
                javafx.scene.control.Alert.AlertType.CONFIRMATION,
                question,
                javafx.scene.control.ButtonType.OK,
                javafx.scene.control.ButtonType.CANCEL);
        a.setHeaderText("Start a new run?");
        a.getDialogPane().setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        return a.showAndWait()
                .filter(b -> b == javafx.scene.control.ButtonType.OK)
                .isPresent();
    }

    /** While training holds, the chart's title says so and a line marks where it holds. */
    private static void showPause(TrainViewModel vm, JFreeChart chart, String title) {
        Runnable update = () -> {
            double x = vm.pausedAtProperty().get();
            boolean held = vm.holdingProperty().get() && Double.isFinite(x);
            chart.setTitle(held ? title + " (paused)" : title);
            chart.getTitle().setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 13));
            if (held) {
                Charts.setMarkers(chart.getXYPlot(), Charts.marker(x, "paused", true));
            } else {
                chart.getXYPlot().clearDomainMarkers();
            }
        };
        vm.holdingProperty().addListener((o, a, b) -> update.run());
        vm.pausedAtProperty().addListener((o, a, b) -> update.run());
    }
}
