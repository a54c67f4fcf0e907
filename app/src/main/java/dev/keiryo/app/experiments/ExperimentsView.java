package dev.keiryo.app.experiments;

import dev.keiryo.engine.api.run.RunInfo;
import java.io.File;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/** Experiments: new/open/save, the YAML, the headless command, earlier runs. */
public final class ExperimentsView extends BorderPane {
    private final ExperimentsViewModel vm;

    public ExperimentsView(ExperimentsViewModel vm) {
        this.vm = vm;
        Button newExp = new Button("New");
        newExp.setOnAction(e -> vm.newExperiment());
        Button open = new Button("Open... (Ctrl+O)");
        open.setOnAction(e -> openDialog());
        Button save = new Button("Save as... (Ctrl+S)");
        save.setId("experiments-save");
        save.setOnAction(e -> saveDialog());
        Label file = new Label();
        file.textProperty()
                .bind(javafx.beans.binding.Bindings.createStringBinding(
                        () -> vm.fileProperty().get() == null
                                ? "not saved to a file yet"
                                : "file: " + vm.fileProperty().get(),
                        vm.fileProperty()));
        HBox bar = new HBox(8, newExp, open, save, file);
        bar.setPadding(new Insets(10));

        TextArea yaml = new TextArea();
        yaml.setId("experiments-yaml");
        yaml.setEditable(false);
        yaml.getStyleClass().add("code");
        yaml.textProperty().bind(vm.yamlProperty());
        TextArea command = new TextArea();
        command.setId("experiments-command");
        command.setEditable(false);
        command.setPrefRowCount(9);
        command.setWrapText(true);
        command.getStyleClass().add("code");
        command.textProperty().bind(vm.commandProperty());
        VBox left = new VBox(
                6, new Label("Experiment file (what 'keiryo train' runs)"), yaml, new Label("Run headless"), command);
        // Both grow: the headless commands (training, replay, distillation, sweep) are as worth reading as the YAML.
        yaml.setPrefRowCount(14);
        VBox.setVgrow(yaml, Priority.ALWAYS);
        VBox.setVgrow(command, Priority.ALWAYS);
        left.setPadding(new Insets(0, 10, 10, 10));
        left.setPrefWidth(560);

        TableView<RunInfo> runs = new TableView<>(vm.runs());
        runs.setId("experiments-runs");
        runs.getColumns().add(col("Run", RunInfo::id));
        runs.getColumns().add(col("State", r -> r.state().name().toLowerCase(java.util.Locale.ROOT)));
        runs.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        runs.setRowFactory(t -> {
            var row = new javafx.scene.control.TableRow<RunInfo>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && row.getItem() != null) {
                    vm.openRun(row.getItem());
                }
            });
            return row;
        });
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> vm.refreshRuns());
        Button show = new Button("Show variants");
        show.setId("experiments-open-run");
        show.disableProperty()
                .bind(runs.getSelectionModel().selectedItemProperty().isNull());
        show.setOnAction(e -> vm.openRun(runs.getSelectionModel().getSelectedItem()));
        VBox right = new VBox(
                6,
                new Label("Earlier runs in this workspace (double-click to show their variants)"),
                runs,
                new HBox(8, refresh, show));
        VBox.setVgrow(runs, Priority.ALWAYS);
        right.setPadding(new Insets(0, 10, 10, 10));
        HBox.setHgrow(right, Priority.ALWAYS);
        setTop(bar);
        setCenter(new HBox(left, right));
        HBox.setHgrow(left, Priority.ALWAYS);
        vm.refreshRuns();
    }

    public void openDialog() {
        FileChooser fc = new FileChooser();
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Experiments", "*.yaml", "*.yml", "*.json"));
        File f = fc.showOpenDialog(getScene().getWindow());
        if (f != null) {
            vm.open(f.toPath());
        }
    }

    public void saveDialog() {
        FileChooser fc = new FileChooser();
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Experiments", "*.yaml", "*.yml", "*.json"));
        fc.setInitialFileName(vm.current().name() + ".yaml");
        File f = fc.showSaveDialog(getScene().getWindow());
        if (f != null) {
            vm.save(f.toPath());
        }
    }

    private static TableColumn<RunInfo, String> col(String name, Function<RunInfo, String> f) {
        TableColumn<RunInfo, String> c = new TableColumn<>(name);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(f.apply(cd.getValue())));
        return c;
    }
}
