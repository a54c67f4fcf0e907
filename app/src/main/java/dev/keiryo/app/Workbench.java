package dev.keiryo.app;

import dev.keiryo.app.concurrent.Tasks;
import dev.keiryo.app.data.DataView;
import dev.keiryo.app.data.DataViewModel;
import dev.keiryo.app.distill.DistillView;
import dev.keiryo.app.distill.DistillViewModel;
import dev.keiryo.app.experiments.ExperimentsView;
import dev.keiryo.app.experiments.ExperimentsViewModel;
import dev.keiryo.app.model.ModelView;
import dev.keiryo.app.model.ModelViewModel;
import dev.keiryo.app.prune.PruneView;
import dev.keiryo.app.prune.PruneViewModel;
import dev.keiryo.app.quantize.QuantizeView;
import dev.keiryo.app.quantize.QuantizeViewModel;
import dev.keiryo.app.train.TrainView;
import dev.keiryo.app.train.TrainViewModel;
import dev.keiryo.app.variants.VariantsView;
import dev.keiryo.app.variants.VariantsViewModel;
import dev.keiryo.app.workspace.AppPrefs;
import dev.keiryo.app.workspace.Workspace;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.value.ChangeListener;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.controlsfx.control.StatusBar;

/**
 * The window's contents: one view model per view, all sharing one {@link Workspace}; a menu whose
 * accelerators are the keyboard shortcuts; a status bar for progress and readable errors.
 */
public final class Workbench {
    private final Workspace ws;
    private final AppPrefs prefs;
    private final DataViewModel data;
    private final ModelViewModel model;
    private final TrainViewModel train;
    private final PruneViewModel prune;
    private final QuantizeViewModel quantize;
    private final DistillViewModel distill;
    private final VariantsViewModel variants;
    private final ExperimentsViewModel experiments;
    private final TabPane tabs = new TabPane();
    private final BorderPane root = new BorderPane();
    private final ExperimentsView experimentsView;
    private final VariantsView variantsView;

    public Workbench(Tasks tasks, AppPrefs prefs, Path folder) {
        this.prefs = prefs;
        this.ws = new Workspace(tasks, folder);
        this.data = new DataViewModel(ws);
        this.train = new TrainViewModel(ws);
        this.model = new ModelViewModel(ws, train::start);
        this.prune = new PruneViewModel(ws);
        this.quantize = new QuantizeViewModel(ws);
        this.distill = new DistillViewModel(ws);
        this.variants = new VariantsViewModel(ws);
        this.experiments = new ExperimentsViewModel(ws, prefs);
        experiments.addHint(distill.headlessProperty());
        this.experimentsView = new ExperimentsView(experiments);
        train.previousRun().setOpener(dir -> {
            experiments.openRun(dir);
            select(6);
        });
        this.variantsView = new VariantsView(variants);
        tabs.getTabs()
                .addAll(
                        tab("Data", "tab-data", new DataView(data)),
                        tab("Model", "tab-model", new ModelView(model)),
                        tab("Train", "tab-train", new TrainView(train)),
                        tab("Prune", "tab-prune", new PruneView(prune)),
                        tab("Quantize", "tab-quantize", new QuantizeView(quantize)),
                        tab("Distill", "tab-distill", new DistillView(distill)),
                        tab("Variants & trade-offs", "tab-variants", variantsView),
                        tab("Experiments", "tab-experiments", experimentsView));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        root.setTop(menu());
        root.setCenter(tabs);
        root.setBottom(statusBar());
    }

    private static Tab tab(String name, String id, javafx.scene.Node content) {
        Tab t = new Tab(name, content);
        t.setId(id);
        return t;
    }

    private MenuBar menu() {
        Menu file = new Menu(
                "File",
                null,
                item("New experiment", "Shortcut+N", experiments::newExperiment),
                item("Open experiment...", "Shortcut+O", experimentsView::openDialog),
                item("Save experiment as...", "Shortcut+S", experimentsView::saveDialog),
                item("Choose workspace folder...", "Shortcut+Shift+W", this::chooseWorkspace),
                item("Export trade-off chart...", "Shortcut+E", () -> {
                    select(6);
                    variantsView.lookup("#variants-export-chart").fireEvent(new javafx.event.ActionEvent());
                }),
                item(
                        "Quit",
                        "Shortcut+Q",
                        () -> tabs.getScene()
                                .getWindow()
                                .fireEvent(new WindowEvent(
                                        tabs.getScene().getWindow(), WindowEvent.WINDOW_CLOSE_REQUEST))));
        Menu run = new Menu(
                "Run",
                null,
                item("Load data", "Shortcut+L", data::load),
                item("Train", "Shortcut+R", () -> {
                    select(2);
                    train.train();
                }),
                item("Pause / continue training", "Shortcut+P", train::togglePause),
                item("Stop", "Esc", this::stopAll),
                item("Apply (prune, quantize) or start (distill)", "Shortcut+Enter", this::applyInCurrentTab));
        Menu view = new Menu("View");
        for (int i = 0; i < tabs.getTabs().size(); i++) {
            int k = i;
            view.getItems().add(item(tabs.getTabs().get(i).getText(), "Shortcut+" + (i + 1), () -> select(k)));
        }
        return new MenuBar(file, run, view);
    }

    /** Where runs go ({@code <folder>/runs}) and are listed from; remembered for the next start. */
    private void chooseWorkspace() {
        javafx.stage.DirectoryChooser dc = new javafx.stage.DirectoryChooser();
        dc.setTitle("Workspace folder (runs are kept in its runs/ subfolder)");
        java.io.File dir = dc.showDialog(tabs.getScene().getWindow());
        if (dir != null) {
            ws.folderProperty().set(dir.toPath());
            prefs.workspace(dir.toPath());
            experiments.refreshRuns();
            ws.status().info("Workspace: " + dir + " (runs in " + ws.runsFolder() + ")");
        }
    }

    private static MenuItem item(String text, String keys, Runnable action) {
        MenuItem m = new MenuItem(text);
        m.setAccelerator(KeyCombination.keyCombination(keys));
        m.setOnAction(e -> action.run());
        return m;
    }

    private StatusBar statusBar() {
        StatusBar bar = new StatusBar();
        bar.setId("status");
        bar.textProperty().bind(ws.status().messageProperty());
        bar.progressProperty().bind(ws.status().progressProperty());
        ws.status().errorProperty().addListener((o, a, err) -> {
            if (err) {
                bar.getStyleClass().add("status-error");
            } else {
                bar.getStyleClass().remove("status-error");
            }
        });
        return bar;
    }

    private void select(int tab) {
        tabs.getSelectionModel().select(tab);
    }

    private void applyInCurrentTab() {
        String id = tabs.getSelectionModel().getSelectedItem().getId();
        if ("tab-prune".equals(id)) {
            prune.apply();
        } else if ("tab-quantize".equals(id)) {
            quantize.apply();
        } else if ("tab-distill".equals(id)) {
            distill.start();
        }
    }

    private void stopAll() {
        train.stop();
        prune.stop();
        distill.stop();
    }

    /** Opens the window at the remembered size, on the bundled sample, with the preset model on show. */
    public void show(Stage stage) {
        Scene scene = new Scene(root, prefs.width(), prefs.height());
        scene.getStylesheets().add(Workbench.class.getResource("workbench.css").toExternalForm());
        stage.setScene(scene);
        stage.setTitle("Keiryo workbench");
        if (!Double.isNaN(prefs.x()) && !Double.isNaN(prefs.y())) {
            stage.setX(prefs.x());
            stage.setY(prefs.y());
        }
        stage.setMaximized(prefs.maximized());
        stage.setOnCloseRequest(e -> closeRequested(stage, e));
        stage.show();
        data.load();
        model.showPreset();
    }

    /** Closing while work runs asks first; yes stops the work, waits for the run to be marked cancelled, then closes. */
    void closeRequested(Stage stage, WindowEvent e) {
        if (!busy()) {
            remember(stage);
            return;
        }
        e.consume();
        Alert a = new Alert(
                Alert.AlertType.CONFIRMATION,
                "Training is running. Stop it and close the workbench? The run"
                        + " stays in its folder, marked cancelled, with its last checkpoint.",
                ButtonType.YES,
                ButtonType.NO);
        a.setHeaderText("Stop training and close?");
        a.getDialogPane().setId("confirm-close");
        a.initOwner(stage);
        a.setOnHidden(h -> {
            if (a.getResult() != ButtonType.YES) {
                return;
            }
            ChangeListener<Boolean> whenIdle = new ChangeListener<>() {
                @Override
                public void changed(javafx.beans.value.ObservableValue<? extends Boolean> o, Boolean was, Boolean is) {
                    if (!busy()) {
                        train.runningProperty().removeListener(this);
                        prune.busyProperty().removeListener(this);
                        quantize.busyProperty().removeListener(this);
                        distill.runningProperty().removeListener(this);
                        remember(stage);
                        stage.close();
                    }
                }
            };
            List.of(train.runningProperty(), prune.busyProperty(), quantize.busyProperty(), distill.runningProperty())
                    .forEach(p -> p.addListener(whenIdle));
            ws.status().info("Stopping: the run will be marked cancelled, then the window closes...");
            stopAll();
        });
        a.show();
    }

    private boolean busy() {
        return train.runningProperty().get()
                || prune.busyProperty().get()
                || quantize.busyProperty().get()
                || distill.runningProperty().get();
    }

    private void remember(Stage stage) {
        prefs.window(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized());
        prefs.workspace(ws.folderProperty().get());
    }

    public Workspace workspace() {
        return ws;
    }

    public DataViewModel data() {
        return data;
    }

    public ModelViewModel model() {
        return model;
    }

    public TrainViewModel train() {
        return train;
    }

    public PruneViewModel prune() {
        return prune;
    }

    public QuantizeViewModel quantize() {
        return quantize;
    }

    public DistillViewModel distill() {
        return distill;
    }

    public VariantsViewModel variants() {
        return variants;
    }

    public ExperimentsViewModel experiments() {
        return experiments;
    }

    public TabPane tabs() {
        return tabs;
    }
}
