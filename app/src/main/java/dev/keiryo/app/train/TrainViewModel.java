package dev.keiryo.app.train;

import dev.keiryo.app.concurrent.Drain;
import dev.keiryo.app.workspace.Errors;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.engine.Session;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.RunResult;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.api.run.TrainingEvent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Trains (or loads) the experiment into a session, in the background, saving the run exactly as
 * {@code keiryo train} would. Training events go into a {@link Drain}; the charts' series grow
 * from it a few times a second on the UI thread.
 */
public final class TrainViewModel {
    private final Workspace ws;
    private final TrainSettingsModel settings = new TrainSettingsModel();
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final javafx.beans.property.ObjectProperty<java.nio.file.Path> stoppedRun =
            new javafx.beans.property.SimpleObjectProperty<>();
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty message = new SimpleStringProperty("Press Train (Ctrl+R) to train the experiment.");
    private final XYSeries loss = new XYSeries("train loss (minibatch)");
    private final XYSeries epochLoss = new XYSeries("train loss (epoch)");
    private final XYSeries validationLoss = new XYSeries("validation loss");
    private final XYSeries validationAccuracy = new XYSeries("validation accuracy");
    private final XYSeries testAccuracy = new XYSeries("test accuracy");
    private final XYSeries speed = new XYSeries("samples/s");
    private final XYSeriesCollection lossData = new XYSeriesCollection();
    private final XYSeriesCollection accuracyData = new XYSeriesCollection();
    private final XYSeriesCollection speedData = new XYSeriesCollection();
    private final Drain<TrainingEvent> drain;
    private final BooleanProperty paused = new SimpleBooleanProperty();
    private final BooleanProperty holding = new SimpleBooleanProperty();
    private final DoubleProperty pausedAt = new SimpleDoubleProperty(Double.NaN);
    private final StringProperty pauseHint = new SimpleStringProperty(SINGLE_HINT);
    private volatile CancellationToken cancel;
    private boolean launchedSingle = true;
    private final PreviousRun previousRun;

    static final String SINGLE_HINT =
            "Holds training after the current minibatch without ending the run; Continue goes on"
                    + " from there, to the same result. The paused time is left out of samples/s.";
    static final String PARALLEL_HINT =
            "Holds data-parallel training after the current round (one minibatch per worker)"
                    + " without ending the run: the workers wait for work, however long. Continue goes on from there. The paused"
                    + " time is left out of samples/s and of the hang watchdog's clock.";

    public TrainViewModel(Workspace ws) {
        this.ws = ws;
        this.previousRun = new PreviousRun(ws);
        settings.read(ws.experiment());
        ws.experimentProperty().addListener((o, a, e) -> settings.read(e));
        // The sheet edits the experiment as it goes, so Experiments' YAML and headless command follow it.
        settings.onChange(() -> {
            Experiment e = settings.apply(ws.experiment());
            ws.experimentProperty().set(e);
            // Each row is checked by its setting's declaration, so a bad value gets the file's sentence at once.
            showProblem(e);
        });
        lossData.addSeries(loss);
        lossData.addSeries(epochLoss);
        lossData.addSeries(validationLoss);
        accuracyData.addSeries(validationAccuracy);
        accuracyData.addSeries(testAccuracy);
        speedData.addSeries(speed);
        drain = new Drain<>(ws.tasks(), 200, this::show);
        settings.modeProperty().addListener((o, a, m) -> {
            if (!running.get()) {
                pauseHint(m == dev.keiryo.engine.api.experiment.ParallelSpec.TrainMode.SINGLE);
            }
        });
        pauseHint(settings.modeProperty().get() == dev.keiryo.engine.api.experiment.ParallelSpec.TrainMode.SINGLE);
    }

    private void pauseHint(boolean single) {
        pauseHint.set(single ? SINGLE_HINT : PARALLEL_HINT);
    }

    /** Shows the experiment's first problem, in its setting's own sentence; false when there is none. */
    private boolean showProblem(Experiment e) {
        List<String> problems = e.problems();
        if (problems.isEmpty()) {
            return false;
        }
        message.set(problems.get(0) + ".");
        ws.status().error(message.get());
        return true;
    }

    public TrainSettingsModel settings() {
        return settings;
    }

    /** Trains the workspace's experiment with the settings on the sheet. */
    public void train() {
        Experiment e = settings.apply(ws.experiment());
        ws.experimentProperty().set(e);
        if (showProblem(e)) {
            return;
        }
        start(e);
    }

    /** Starts a session on {@code experiment}: training it, or just evaluating a loaded model (epochs 0). */
    public void start(Experiment experiment) {
        if (!running.get() && !previousRun.confirmReplacing()) {
            return;
        }
        boolean trains = experiment.train().epochs() > 0;
        var p = experiment.train().parallel();
        // A resumed run keeps its mode, so Resume reuses this.
        launchedSingle = p.mode() == dev.keiryo.engine.api.experiment.ParallelSpec.TrainMode.SINGLE;
        String how = p.mode() == dev.keiryo.engine.api.experiment.ParallelSpec.TrainMode.SINGLE
                ? ""
                : " (" + p.mode().id() + " data-parallel, " + (p.workers() == null ? "automatic" : p.workers())
                        + " workers)";
        launch(
                trains
                        ? "Training " + experiment.model().preset().id() + " for "
                                + experiment.train().epochs() + " epoch(s)" + how + "..."
                        : "Evaluating " + experiment.model().load() + "...",
                token -> Engine.local().start(ws.runsFolder(), experiment, drain::offer, token));
    }

    /** The run a new session replaced, and asking before replacing one. */
    public PreviousRun previousRun() {
        return previousRun;
    }

    /** Continues the run that was stopped last, from its last checkpoint (the end of its last whole epoch). */
    public void resume() {
        java.nio.file.Path run = stoppedRun.get();
        if (run != null) {
            launch(
                    "Resuming " + run.getFileName() + " from its last checkpoint...",
                    token -> Engine.local().resume(ws.runsFolder(), run, drain::offer, token));
        }
    }

    private void launch(String what, java.util.function.Function<CancellationToken, Session> job) {
        if (running.get()) {
            ws.status().error("Training is already running; stop it first (Esc).");
            return;
        }
        List.of(loss, epochLoss, validationLoss, validationAccuracy, testAccuracy, speed)
                .forEach(XYSeries::clear);
        CancellationToken token = new CancellationToken();
        cancel = token;
        pauseHint(launchedSingle);
        running.set(true);
        progress.set(0);
        ws.status().busy(progress);
        stoppedRun.set(null);
        message.set(what);
        ws.status().info(message.get());
        drain.start();
        ws.tasks()
                .run(
                        "train",
                        () -> job.apply(token),
                        s -> {
                            drain.stop();
                            RunResult r = s.trained();
                            if (s.open()) {
                                java.nio.file.Path before = previousRun.replacing(s);
                                ws.showSession(s);
                                if (r.test() != null) {
                                    testAccuracy.add(
                                            Math.max(1, r.training().state().epochsCompleted()),
                                            r.test().accuracy());
                                }
                                var p = s.experiment().train().parallel();
                                message.set(String.format(
                                        Locale.ROOT,
                                        "Done: test accuracy %.4f%s. Run saved in %s",
                                        r.test().accuracy(),
                                        p.mode() == dev.keiryo.engine.api.experiment.ParallelSpec.TrainMode.SINGLE
                                                        || r.training().state().epochsCompleted() == 0
                                                ? ""
                                                : " (" + p.mode().id() + " data-parallel, "
                                                        + (p.workers() == null ? "automatic" : p.workers())
                                                        + " workers)",
                                        r.runDir()));
                                if (before != null) {
                                    message.set(message.get() + ". The previous run " + before.getFileName()
                                            + " keeps its variants: Experiments lists it; Show previous run opens it.");
                                }
                                ws.status().info(message.get());
                            } else if (r.training().outcome() == TrainOutcome.CANCELLED) {
                                stoppedRun.set(r.runDir());
                                message.set("Stopped. The run " + r.runDir().getFileName()
                                        + " is marked cancelled and keeps its last checkpoint;"
                                        + " Resume continues it from there.");
                                ws.status().info(message.get());
                            } else {
                                message.set("Training failed: " + r.training().message());
                                ws.status().error(message.get());
                            }
                            // Last, so that whoever waits for "not running" sees the session and the message.
                            finish();
                        },
                        err -> {
                            drain.stop();
                            message.set(Errors.describe(err));
                            ws.status().error(message.get());
                            finish();
                        });
    }

    private void finish() {
        drain.stop();
        running.set(false);
        ws.status().busy(false);
        cancel = null;
        paused.set(false);
        holding.set(false);
        pausedAt.set(Double.NaN);
        pauseHint(settings.modeProperty().get() == dev.keiryo.engine.api.experiment.ParallelSpec.TrainMode.SINGLE);
    }

    /**
     * Holds training after the current minibatch (data-parallel: after the current round) without
     * ending the run (the charts then show "paused"), or lets held training continue. Stop still
     * stops while paused.
     */
    public void togglePause() {
        CancellationToken t = cancel;
        if (t == null) {
            return;
        }
        if (paused.get()) {
            t.unpause();
            paused.set(false);
            message.set("Continuing...");
        } else {
            t.pause();
            paused.set(true);
            message.set(
                    launchedSingle
                            ? "Pausing after the current minibatch..."
                            : "Pausing after the current round of minibatches (one per worker)...");
        }
        ws.status().info(message.get());
    }

    /** Asks training to stop after the current minibatch; the run is then marked cancelled. */
    public void stop() {
        CancellationToken t = cancel;
        if (t != null) {
            t.cancel();
            message.set(
                    holding.get()
                            ? "Stopping the paused run..."
                            : launchedSingle
                                    ? "Stopping after the current minibatch..."
                                    : "Stopping after the current round of minibatches...");
            ws.status().info(message.get());
        }
    }

    private void show(List<TrainingEvent> batch) {
        Set<XYSeries> changed = new LinkedHashSet<>();
        for (TrainingEvent e : batch) {
            if (e instanceof TrainingEvent.Iteration it) {
                double x = it.epoch() - 1 + (double) it.batchInEpoch() / it.batchesPerEpoch();
                loss.add(x, it.loss(), false);
                speed.add(x, it.samplesPerSecond(), false);
                changed.add(loss);
                changed.add(speed);
                progress.set(Math.min(1, x / Math.max(1, settings.epochs.get())));
            } else if (e instanceof TrainingEvent.Epoch ep) {
                epochLoss.add(ep.epoch(), ep.trainLoss(), false);
                changed.add(epochLoss);
                if (Double.isFinite(ep.validationAccuracy())) {
                    validationAccuracy.add(ep.epoch(), ep.validationAccuracy(), false);
                    validationLoss.add(ep.epoch(), ep.validationLoss(), false);
                    changed.add(validationAccuracy);
                    changed.add(validationLoss);
                }
                message.set(String.format(
                        Locale.ROOT,
                        "Epoch %d: train loss %.4f, validation accuracy %.4f, %,.0f samples/s",
                        ep.epoch(),
                        ep.trainLoss(),
                        ep.validationAccuracy(),
                        ep.samplesPerSecond()));
            } else if (e instanceof TrainingEvent.Pause p) {
                paused(p);
            } else if (e instanceof TrainingEvent.Message m) {
                message.set(m.text());
            }
        }
        // Each notification redraws its whole chart on the UI thread (the training's CPU): one per
        // changed series per batch, and none for the epoch-level series between epochs.
        changed.forEach(XYSeries::fireSeriesChanged);
    }

    private void paused(TrainingEvent.Pause p) {
        holding.set(p.holding());
        if (p.holding()) {
            double x = p.epoch() - 1 + (double) p.batchInEpoch() / p.batchesPerEpoch();
            pausedAt.set(x);
            String where = p.batchInEpoch() == 0
                    ? String.format(Locale.ROOT, "Paused before the first minibatch of epoch %d.", p.epoch())
                    : String.format(
                            Locale.ROOT,
                            "Paused in epoch %d after minibatch %d of %d.",
                            p.epoch(),
                            p.batchInEpoch(),
                            p.batchesPerEpoch());
            message.set(where
                    + " Continue goes on from here; Stop ends the run (Resume then starts from its last whole epoch).");
        } else {
            pausedAt.set(Double.NaN);
            message.set(String.format(
                    Locale.ROOT, "Continuing epoch %d from minibatch %d...", p.epoch(), p.batchInEpoch() + 1));
        }
        ws.status().info(message.get());
    }

    /** What Pause does in the running (or next) training's mode, for its tooltip. */
    public StringProperty pauseHintProperty() {
        return pauseHint;
    }

    /** True from Pause until Continue (the button then reads Continue). */
    public BooleanProperty pausedProperty() {
        return paused;
    }

    /** True while the trainer actually holds (after the minibatch that was running when Pause was pressed). */
    public BooleanProperty holdingProperty() {
        return holding;
    }

    /** Where on the epoch axis training holds; NaN when it does not. */
    public DoubleProperty pausedAtProperty() {
        return pausedAt;
    }

    public BooleanProperty runningProperty() {
        return running;
    }

    /** The run stopped last, which Resume continues; null when there is none. */
    public javafx.beans.property.ObjectProperty<java.nio.file.Path> stoppedRunProperty() {
        return stoppedRun;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public XYSeriesCollection lossData() {
        return lossData;
    }

    public XYSeriesCollection accuracyData() {
        return accuracyData;
    }

    public XYSeriesCollection speedData() {
        return speedData;
    }
}
