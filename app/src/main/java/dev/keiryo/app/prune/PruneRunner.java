package dev.keiryo.app.prune;

import dev.keiryo.app.prune.PrunePreview.Base;
import dev.keiryo.app.workspace.Bytes;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.api.compress.PruneScope;
import dev.keiryo.engine.api.compress.PruneSetting;
import dev.keiryo.engine.api.engine.Session;
import dev.keiryo.engine.api.experiment.PruneMode;
import dev.keiryo.engine.api.experiment.PruneStepSpec;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.Variant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;

/**
 * Apply and sweep: the previewed setting (or a range of shares of it) made into new variants as
 * steps of the session's run, optionally fine-tuned; Stop ends fine-tuning or the sweep early.
 */
final class PruneRunner {
    private final Workspace ws;
    private final PrunePreview setting;
    private final IntegerProperty fineTuneEpochs = new SimpleIntegerProperty(0);
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private volatile CancellationToken cancel;

    /** @param setting the mode, scope and share that Apply makes a variant of */
    PruneRunner(Workspace ws, PrunePreview setting) {
        this.ws = ws;
        this.setting = setting;
    }

    /** Makes the previewed setting a new variant (fine-tuned if asked) in the session's run. */
    void apply() {
        Base b = setting.current();
        Session s = ws.session().orElse(null);
        if (b == null || s == null || busy.get()) {
            ws.status().error("Nothing to prune yet: train a model or open one first.");
            return;
        }
        PruneStepSpec spec = step(setting.request(), b.variant().id());
        CancellationToken token = begin();
        ws.status().busy(true);
        ws.status().info("Pruning " + b.variant().id() + (fineTuneEpochs.get() > 0 ? " and fine-tuning..." : "..."));
        // Fine-tuning reports each epoch in the status bar; minibatch events are not worth a UI update.
        dev.keiryo.engine.api.run.TrainingListener progress = e -> {
            if (e instanceof dev.keiryo.engine.api.run.TrainingEvent.Epoch ep) {
                ws.tasks()
                        .ui(() -> ws.status()
                                .info(String.format(
                                        Locale.ROOT,
                                        "Fine-tuning: epoch %d, train loss %.4f",
                                        ep.epoch(),
                                        ep.trainLoss())));
            }
        };
        ws.tasks()
                .run(
                        "apply pruning",
                        () -> s.apply(StepSpec.of(spec), progress, token),
                        added -> {
                            end();
                            ws.added(added);
                            Variant v = added.get(added.size() - 1);
                            ws.status()
                                    .info(String.format(
                                            Locale.ROOT,
                                            "%s: pruned %s to %.1f%% sparsity, accuracy %.4f, file %s%s",
                                            v.id(),
                                            b.variant().id(),
                                            100 * v.metrics().sparsity(),
                                            v.metrics().accuracy(),
                                            Bytes.human(v.metrics().fileBytes()),
                                            token.isCancelled() ? " (fine-tuning stopped early)" : ""));
                        },
                        this::failed);
    }

    /** The prune step for a setting, starting from variant {@code from}. */
    private PruneStepSpec step(PruneSetting r, String from) {
        if (r.isUnit()) {
            return new PruneStepSpec(
                    PruneMode.UNIT,
                    "global",
                    null,
                    null,
                    r.unitShare(),
                    Map.of(),
                    List.of(),
                    "l1",
                    "oneshot",
                    5,
                    fineTuneEpochs.get(),
                    null,
                    from);
        }
        ConnectionPruneSpec c = r.connection();
        return new PruneStepSpec(
                PruneMode.CONNECTION,
                c.scope() == PruneScope.GLOBAL ? "global" : "layer",
                c.sparsity(),
                c.threshold(),
                null,
                Map.of(),
                List.of(),
                "l1",
                "oneshot",
                5,
                fineTuneEpochs.get(),
                null,
                from);
    }

    /** The shares a sweep applies: the interesting range of each mode. */
    List<Double> sweepLevels() {
        return setting.modeProperty().get() == PruneMode.UNIT
                ? List.of(0.1, 0.3, 0.5, 0.7)
                : List.of(0.5, 0.7, 0.8, 0.9, 0.95);
    }

    /**
     * Applies the current mode and scope at each of {@link #sweepLevels()} from the base variant, one
     * variant per level, each shown on the trade-off chart as soon as it is made. Esc stops after the
     * current one.
     */
    void sweep() {
        Base b = setting.current();
        Session s = ws.session().orElse(null);
        if (b == null || s == null || busy.get()) {
            ws.status().error("Nothing to prune yet: train a model or open one first.");
            return;
        }
        List<PruneStepSpec> steps = new ArrayList<>();
        for (double level : sweepLevels()) {
            steps.add(step(setting.at(level), b.variant().id()));
        }
        CancellationToken token = begin();
        DoubleProperty fraction = new SimpleDoubleProperty();
        ws.status().busy(fraction);
        ws.tasks()
                .run(
                        "pruning sweep",
                        () -> {
                            int done = 0;
                            for (PruneStepSpec spec : steps) {
                                if (token.isCancelled()) {
                                    break;
                                }
                                List<Variant> added = s.apply(StepSpec.of(spec), null, token);
                                int n = ++done;
                                ws.tasks().ui(() -> {
                                    ws.added(added);
                                    fraction.set((double) n / steps.size());
                                    ws.status().info("Sweep: " + n + " of " + steps.size() + " variants made.");
                                });
                            }
                            return done;
                        },
                        done -> {
                            end();
                            ws.status()
                                    .info("Sweep finished: " + done + " variants from "
                                            + b.variant().id() + " on the trade-off chart.");
                        },
                        this::failed);
    }

    private CancellationToken begin() {
        CancellationToken token = new CancellationToken();
        cancel = token;
        busy.set(true);
        return token;
    }

    private void end() {
        busy.set(false);
        ws.status().busy(false);
        cancel = null;
    }

    private void failed(Throwable e) {
        end();
        ws.status().error(e);
    }

    /** Stops fine-tuning of an Apply in progress, or a sweep after its current variant. */
    void stop() {
        CancellationToken t = cancel;
        if (t != null) {
            t.cancel();
        }
    }

    IntegerProperty fineTuneEpochsProperty() {
        return fineTuneEpochs;
    }

    BooleanProperty busyProperty() {
        return busy;
    }
}
