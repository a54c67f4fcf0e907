package dev.keiryo.app.prune;

import dev.keiryo.app.workspace.Bytes;
import dev.keiryo.app.workspace.Errors;
import dev.keiryo.app.workspace.Prepared;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.experiment.PruneMode;
import dev.keiryo.engine.api.experiment.PruneStepSpec;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.compress.prune.PreviewResult;
import dev.keiryo.engine.compress.prune.PruneRequest;
import dev.keiryo.engine.compress.prune.PruningPreview;
import dev.keiryo.engine.compress.prune.Sensitivity;
import dev.keiryo.engine.compress.prune.connection.ConnectionPruneSpec;
import dev.keiryo.engine.compress.prune.unit.UnitCriterion;
import dev.keiryo.engine.compress.prune.unit.UnitPruneSpec;
import dev.keiryo.engine.job.Session;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.WeightHistogram;
import dev.keiryo.engine.preview.PreviewSubset;
import dev.keiryo.engine.train.CancellationToken;
import dev.keiryo.engine.variant.Variant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * Prune: a setting (mode, scope, a share or a magnitude threshold) previewed in the background
 * while the slider moves, newest request first (the engine's {@link PruningPreview}); Apply makes a
 * new variant in the session's run, optionally fine-tuned.
 */
public final class PruneViewModel {
    /** Examples in the preview subset: enough for a stable accuracy, few enough to follow a drag. */
    static final int PREVIEW_EXAMPLES = 1000;

    static final List<Double> SENSITIVITY_LEVELS = List.of(0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95);

    public enum Scope {
        GLOBAL,
        PER_LAYER
    }

    private final Workspace ws;
    private final ObjectProperty<PruneMode> mode = new SimpleObjectProperty<>(PruneMode.CONNECTION);
    private final ObjectProperty<Scope> scope = new SimpleObjectProperty<>(Scope.GLOBAL);
    private final BooleanProperty byThreshold = new SimpleBooleanProperty();
    private final DoubleProperty amount = new SimpleDoubleProperty(0.5);
    private final IntegerProperty fineTuneEpochs = new SimpleIntegerProperty(0);
    private final StringProperty targetText = new SimpleStringProperty("");
    private final StringProperty previewText = new SimpleStringProperty("Train or open a model first.");
    private final ObjectProperty<PreviewResult> preview = new SimpleObjectProperty<>();
    private final ObjectProperty<WeightHistogram> histogram = new SimpleObjectProperty<>();
    private final DoubleProperty threshold = new SimpleDoubleProperty(Double.NaN);
    private final ObjectProperty<Map<String, List<Sensitivity.Point>>> sensitivity =
            new SimpleObjectProperty<>(Map.of());
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final Prepared<Variant, Base> prepared;
    private volatile CancellationToken cancel;

    /** What the previews of one base variant share, built once off the UI thread. */
    private record Base(
            Variant variant, KeiryoModel model, PruningPreview preview, float[] magnitudes, PreviewSubset subset) {}

    public PruneViewModel(Workspace ws) {
        this.ws = ws;
        this.prepared = new Prepared<>(
                ws, "prepare pruning preview", previewText, b -> b.preview().close());
        ws.baseProperty().addListener((o, a, v) -> prepare(v));
        amount.addListener((o, a, b) -> requestPreview());
        mode.addListener((o, a, b) -> {
            if (b == PruneMode.UNIT) {
                byThreshold.set(false);
                amount.set(Math.min(amount.get(), 0.9));
            }
            requestPreview();
        });
        scope.addListener((o, a, b) -> requestPreview());
        byThreshold.addListener((o, a, b) -> requestPreview());
    }

    private void prepare(Variant v) {
        prepared.prepare(
                v,
                v == null ? null : "Preparing the preview of " + v.id() + "...",
                (s, variant) -> {
                    KeiryoModel m = s.model(variant.id());
                    return new Base(
                            variant,
                            m,
                            new PruningPreview(m, s.previewData(), PREVIEW_EXAMPLES),
                            WeightHistogram.sortedMagnitudes(m.net()),
                            new PreviewSubset(s.previewData(), m.meta(), PREVIEW_EXAMPLES));
                },
                b -> {
                    sensitivity.set(Map.of());
                    ws.tasks()
                            .run(
                                    "weight histogram",
                                    () -> WeightHistogram.of(b.model().net(), -1, 80),
                                    histogram::set,
                                    ws.status()::error);
                    requestPreview();
                });
    }

    /** The request the controls describe now. */
    PruneRequest request() {
        if (mode.get() == PruneMode.UNIT) {
            return PruneRequest.of(UnitPruneSpec.allHidden(Math.min(0.95, amount.get()), UnitCriterion.L1));
        }
        if (byThreshold.get()) {
            return PruneRequest.of(ConnectionPruneSpec.belowThreshold(thresholdOf(amount.get())));
        }
        double s = Math.min(0.99, amount.get());
        return PruneRequest.of(
                scope.get() == Scope.GLOBAL ? ConnectionPruneSpec.global(s) : ConnectionPruneSpec.perLayer(s));
    }

    /** Threshold mode: the slider runs over the weights' magnitudes, 0 to the largest. */
    private double thresholdOf(double slider) {
        Base b = prepared.current();
        return b == null || b.magnitudes().length == 0 ? 0 : slider * b.magnitudes()[b.magnitudes().length - 1];
    }

    @SuppressWarnings("ReferenceEquality") // latest request wins: only the very base still current may show
    private void requestPreview() {
        Base b = prepared.current();
        updateTargetText();
        if (b == null) {
            return;
        }
        PruneRequest r;
        try {
            r = request();
        } catch (RuntimeException e) {
            previewText.set(Errors.describe(e));
            return;
        }
        threshold.set(lineFor(b, r));
        b.preview()
                .submit(
                        r,
                        res -> ws.tasks().ui(() -> {
                            if (prepared.current() == b) {
                                preview.set(res);
                                previewText.set(describe(res));
                            }
                        }),
                        e -> ws.tasks().ui(() -> previewText.set(Errors.describe(e))));
    }

    /** Where the histogram's threshold line goes: exact for a global cut-off, none otherwise. */
    private static double lineFor(Base b, PruneRequest r) {
        ConnectionPruneSpec c = r.connection();
        if (c == null || c.scope() != dev.keiryo.engine.compress.prune.connection.PruneScope.GLOBAL) {
            return Double.NaN;
        }
        if (c.threshold() != null) {
            return c.threshold();
        }
        float[] m = b.magnitudes();
        return m.length == 0 ? Double.NaN : m[Math.min(m.length - 1, (int) Math.floor(c.sparsity() * m.length))];
    }

    private void updateTargetText() {
        if (mode.get() == PruneMode.UNIT) {
            targetText.set(
                    String.format(Locale.ROOT, "remove %.0f%% of the units of every hidden layer", 100 * amount.get()));
        } else if (byThreshold.get()) {
            targetText.set(String.format(Locale.ROOT, "remove weights with |w| < %.4f", thresholdOf(amount.get())));
        } else {
            targetText.set(String.format(
                    Locale.ROOT,
                    "remove %.1f%% of the weights (%s)",
                    100 * Math.min(0.99, amount.get()),
                    scope.get() == Scope.GLOBAL ? "one cut-off for all layers" : "each layer alike"));
        }
    }

    static String describe(PreviewResult r) {
        return String.format(
                Locale.ROOT,
                "accuracy %.4f on %,d validation examples | sparsity %.1f%% | %,d of %,d parameters"
                        + " left | file %s | %.0f ms",
                r.accuracy(),
                r.examples(),
                100 * r.sparsity(),
                r.nonZeros(),
                r.parameters(),
                Bytes.human(r.fileBytes()),
                r.millis());
    }

    /** Accuracy of each layer pruned alone at several levels, without fine-tuning. */
    public void computeSensitivity() {
        Base b = prepared.current();
        if (b == null) {
            return;
        }
        busy.set(true);
        ws.status().info("Computing sensitivity curves...");
        PruneMode m = mode.get();
        ws.tasks()
                .run(
                        "sensitivity",
                        () -> m == PruneMode.UNIT
                                ? Sensitivity.unit(
                                        b.model().net(),
                                        List.of(),
                                        SENSITIVITY_LEVELS,
                                        UnitCriterion.L1,
                                        null,
                                        b.subset(),
                                        () -> false)
                                : Sensitivity.connection(
                                        b.model().net(), List.of(), SENSITIVITY_LEVELS, b.subset(), () -> false),
                        curves -> {
                            busy.set(false);
                            sensitivity.set(curves);
                            ws.status().info("Sensitivity: " + curves.size() + " layers.");
                        },
                        e -> {
                            busy.set(false);
                            ws.status().error(e);
                        });
    }

    /** Makes the previewed setting a new variant (fine-tuned if asked) in the session's run. */
    public void apply() {
        Base b = prepared.current();
        Session s = ws.session().orElse(null);
        if (b == null || s == null || busy.get()) {
            ws.status().error("Nothing to prune yet: train a model or open one first.");
            return;
        }
        PruneStepSpec spec = step(request(), b.variant().id());
        CancellationToken token = new CancellationToken();
        cancel = token;
        busy.set(true);
        ws.status().busy(true);
        ws.status().info("Pruning " + b.variant().id() + (fineTuneEpochs.get() > 0 ? " and fine-tuning..." : "..."));
        // Fine-tuning reports each epoch in the status bar; minibatch events are not worth a UI update.
        dev.keiryo.engine.train.TrainingListener progress = e -> {
            if (e instanceof dev.keiryo.engine.train.TrainingEvent.Epoch ep) {
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
                            busy.set(false);
                            ws.status().busy(false);
                            cancel = null;
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
                        e -> {
                            busy.set(false);
                            ws.status().busy(false);
                            cancel = null;
                            ws.status().error(e);
                        });
    }

    /** The prune step for a request, starting from variant {@code from}. */
    private PruneStepSpec step(PruneRequest r, String from) {
        if (r.unit() != null) {
            return new PruneStepSpec(
                    PruneMode.UNIT,
                    "global",
                    null,
                    null,
                    r.unit().allHidden(),
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
                c.scope() == dev.keiryo.engine.compress.prune.connection.PruneScope.GLOBAL ? "global" : "layer",
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
    public List<Double> sweepLevels() {
        return mode.get() == PruneMode.UNIT ? List.of(0.1, 0.3, 0.5, 0.7) : List.of(0.5, 0.7, 0.8, 0.9, 0.95);
    }

    /**
     * Applies the current mode and scope at each of {@link #sweepLevels()} from the base variant, one
     * variant per level, each shown on the trade-off chart as soon as it is made. Esc stops after the
     * current one.
     */
    public void sweep() {
        Base b = prepared.current();
        Session s = ws.session().orElse(null);
        if (b == null || s == null || busy.get()) {
            ws.status().error("Nothing to prune yet: train a model or open one first.");
            return;
        }
        List<PruneStepSpec> steps = new java.util.ArrayList<>();
        for (double level : sweepLevels()) {
            PruneRequest r = mode.get() == PruneMode.UNIT
                    ? PruneRequest.of(UnitPruneSpec.allHidden(level, UnitCriterion.L1))
                    : PruneRequest.of(
                            scope.get() == Scope.GLOBAL
                                    ? ConnectionPruneSpec.global(level)
                                    : ConnectionPruneSpec.perLayer(level));
            steps.add(step(r, b.variant().id()));
        }
        CancellationToken token = new CancellationToken();
        cancel = token;
        busy.set(true);
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
                            busy.set(false);
                            ws.status().busy(false);
                            cancel = null;
                            ws.status()
                                    .info("Sweep finished: " + done + " variants from "
                                            + b.variant().id() + " on the trade-off chart.");
                        },
                        e -> {
                            busy.set(false);
                            ws.status().busy(false);
                            cancel = null;
                            ws.status().error(e);
                        });
    }

    /** Stops fine-tuning of an Apply in progress. */
    public void stop() {
        CancellationToken t = cancel;
        if (t != null) {
            t.cancel();
        }
    }

    public ObjectProperty<PruneMode> modeProperty() {
        return mode;
    }

    public ObjectProperty<Scope> scopeProperty() {
        return scope;
    }

    public BooleanProperty byThresholdProperty() {
        return byThreshold;
    }

    /** The slider: a share to remove, or (threshold mode) a fraction of the largest magnitude. */
    public DoubleProperty amountProperty() {
        return amount;
    }

    public IntegerProperty fineTuneEpochsProperty() {
        return fineTuneEpochs;
    }

    public StringProperty targetTextProperty() {
        return targetText;
    }

    public StringProperty previewTextProperty() {
        return previewText;
    }

    public ObjectProperty<PreviewResult> previewProperty() {
        return preview;
    }

    public ObjectProperty<WeightHistogram> histogramProperty() {
        return histogram;
    }

    /** The global magnitude cut-off the setting implies, NaN when there is no single one. */
    public DoubleProperty thresholdProperty() {
        return threshold;
    }

    public ObjectProperty<Map<String, List<Sensitivity.Point>>> sensitivityProperty() {
        return sensitivity;
    }

    public ReadOnlyBooleanProperty readyProperty() {
        return prepared.readyProperty();
    }

    public BooleanProperty busyProperty() {
        return busy;
    }
}
