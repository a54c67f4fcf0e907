package dev.keiryo.app.experiments;

import dev.keiryo.app.workspace.AppPrefs;
import dev.keiryo.app.workspace.Errors;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.engine.RunRecord;
import dev.keiryo.engine.api.engine.Session;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ExperimentFile;
import dev.keiryo.engine.api.run.RunFiles;
import dev.keiryo.engine.api.run.RunInfo;
import dev.keiryo.engine.api.run.Variant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Experiments: the experiment file being edited (the one {@code keiryo train} runs), its YAML,
 * the equivalent headless command, and the earlier runs of the workspace.
 */
public final class ExperimentsViewModel {
    private final Workspace ws;
    private final AppPrefs prefs;
    private final ObjectProperty<Path> file = new SimpleObjectProperty<>();
    private final StringProperty yaml = new SimpleStringProperty("");
    private final StringProperty command = new SimpleStringProperty("");
    private final ObservableList<RunInfo> runs = FXCollections.observableArrayList();
    private final List<ObservableValue<String>> hints = new ArrayList<>();

    public ExperimentsViewModel(Workspace ws, AppPrefs prefs) {
        this.ws = ws;
        this.prefs = prefs;
        ws.experimentProperty().addListener((o, a, e) -> describe());
        ws.sessionProperty().addListener((o, a, s) -> {
            describe();
            refreshRuns();
        });
        ws.variants().addListener((javafx.collections.ListChangeListener<Variant>) c -> describe());
        file.addListener((o, a, f) -> describe());
        describe();
    }

    /** The experiment as it stands: the session's (with every applied step) or the one being edited. */
    public Experiment current() {
        return ws.session().map(Session::experiment).orElse(ws.experiment());
    }

    private void describe() {
        Experiment e = current();
        yaml.set(ExperimentFile.toYaml(e));
        StringBuilder sb = new StringBuilder();
        Session s = ws.session().orElse(null);
        if (s != null) {
            sb.append("# replay this session (training and every applied step):\n")
                    .append(HeadlessCommand.forFile(s.runDir().resolve(RunFiles.EXPERIMENT)))
                    .append('\n');
        }
        if (file.get() != null) {
            sb.append("# run the saved experiment file:\n")
                    .append(HeadlessCommand.forFile(file.get()))
                    .append('\n');
        }
        sb.append("# the training alone, from flags:\n").append(HeadlessCommand.forFlags(ws.experiment()));
        for (ObservableValue<String> h : hints) {
            if (h.getValue() != null && !h.getValue().isBlank()) {
                sb.append('\n').append(h.getValue());
            }
        }
        command.set(sb.toString());
    }

    /** Adds another view's headless commands (e.g. Distill's {@code keiryo distill}) below the training's. */
    public void addHint(ObservableValue<String> hint) {
        hints.add(hint);
        hint.addListener((o, a, b) -> describe());
        describe();
    }

    public void newExperiment() {
        file.set(null);
        ws.experimentProperty().set(Workspace.defaults());
        ws.status().info("New experiment: LeNet-5 on the bundled sample.");
    }

    public void open(Path f) {
        ws.tasks()
                .run(
                        "open experiment",
                        () -> ExperimentFile.read(f),
                        e -> {
                            ws.experimentProperty().set(e);
                            file.set(f);
                            prefs.lastExperiment(f);
                            ws.status()
                                    .info(
                                            "Opened " + f
                                                    + (e.steps().isEmpty()
                                                            ? ""
                                                            : " (" + e.steps().size()
                                                                    + " steps: Train runs them after training, and each adds its variants)"));
                        },
                        err -> ws.status().error(err));
    }

    public void save(Path f) {
        Experiment e = current();
        ws.tasks()
                .run(
                        "save experiment",
                        () -> {
                            ExperimentFile.write(e, f);
                            return f;
                        },
                        saved -> {
                            file.set(saved);
                            prefs.lastExperiment(saved);
                            ws.status().info("Saved " + saved);
                        },
                        err -> ws.status().error(err));
    }

    public void refreshRuns() {
        ws.tasks()
                .run(
                        "list runs",
                        () -> {
                            List<RunInfo> list = new ArrayList<>(Engine.local().listRuns(ws.runsFolder()));
                            Collections.reverse(list);
                            return list;
                        },
                        runs::setAll,
                        err -> ws.status().error(err));
    }

    /** Shows the variants of the run in {@code dir} (read only), as its row in the list would. */
    public void openRun(Path dir) {
        ws.tasks()
                .run(
                        "find run",
                        () -> Engine.local().listRuns(ws.runsFolder()).stream()
                                .filter(r -> r.dir().equals(dir))
                                .findFirst(),
                        found -> found.ifPresentOrElse(
                                this::openRun, () -> ws.status().error("The run " + dir + " is no longer there.")),
                        err -> ws.status().error(err));
        refreshRuns();
    }

    /** Shows an earlier run's variants on the trade-off chart (read only). */
    public void openRun(RunInfo info) {
        ws.tasks()
                .run(
                        "open run",
                        () -> {
                            RunRecord run = Engine.local().openRun(info.dir());
                            return new Opened(run.experiment(), run.variants());
                        },
                        o -> {
                            ws.openedRunProperty().set(info.dir());
                            ws.variants().setAll(o.variants());
                            ws.status()
                                    .info("Showing run " + info.id() + " ("
                                            + info.state().name().toLowerCase(java.util.Locale.ROOT) + ", "
                                            + o.variants().size() + " variants; read only)"
                                            + (o.variants().isEmpty()
                                                    ? ": it has no variants, so it never finished training."
                                                    : "."));
                        },
                        err -> ws.status().error("Could not open run " + info.id() + ": " + Errors.describe(err)));
    }

    private record Opened(Experiment experiment, List<Variant> variants) {}

    public ObjectProperty<Path> fileProperty() {
        return file;
    }

    public StringProperty yamlProperty() {
        return yaml;
    }

    public StringProperty commandProperty() {
        return command;
    }

    public ObservableList<RunInfo> runs() {
        return runs;
    }
}
