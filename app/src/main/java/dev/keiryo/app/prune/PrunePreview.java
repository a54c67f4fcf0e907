package dev.keiryo.app.prune;

import dev.keiryo.app.prune.PruneViewModel.Scope;
import dev.keiryo.app.workspace.Bytes;
import dev.keiryo.app.workspace.Errors;
import dev.keiryo.app.workspace.Prepared;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.api.compress.PrunePreviewResult;
import dev.keiryo.engine.api.compress.PrunePreviewer;
import dev.keiryo.engine.api.compress.PruneScope;
import dev.keiryo.engine.api.compress.PruneSetting;
import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.api.experiment.PruneMode;
import dev.keiryo.engine.api.model.WeightHistogram;
import dev.keiryo.engine.api.run.Variant;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The preview: the setting (mode, scope, a share or a magnitude threshold) on the slider, previewed
 * in the background on the base variant while the slider moves, newest request first (the engine's
 * {@link PrunePreviewer}), with the weight histogram and the cut-off it implies.
 */
final class PrunePreview {
    /** Examples in the preview subset: enough for a stable accuracy, few enough to follow a drag. */
    static final int PREVIEW_EXAMPLES = 1000;

    /** What the previews of one base variant share, built once off the UI thread. */
    record Base(Variant variant, PrunePreviewer preview) {}

    private final Workspace ws;
    private final ObjectProperty<PruneMode> mode = new SimpleObjectProperty<>(PruneMode.CONNECTION);
    private final ObjectProperty<Scope> scope = new SimpleObjectProperty<>(Scope.GLOBAL);
    private final BooleanProperty byThreshold = new SimpleBooleanProperty();
    private final DoubleProperty amount = new SimpleDoubleProperty(0.5);
    private final StringProperty targetText = new SimpleStringProperty("");
    private final StringProperty previewText = new SimpleStringProperty("Train or open a model first.");
    private final ObjectProperty<PrunePreviewResult> preview = new SimpleObjectProperty<>();
    private final ObjectProperty<WeightHistogram> histogram = new SimpleObjectProperty<>();
    private final DoubleProperty threshold = new SimpleDoubleProperty(Double.NaN);
    private final Prepared<Variant, Base> prepared;

    /** @param newBase runs on the UI thread once another base variant is ready */
    PrunePreview(Workspace ws, Runnable newBase) {
        this.ws = ws;
        this.prepared = new Prepared<>(
                ws, "prepare pruning preview", previewText, b -> b.preview().close());
        ws.baseProperty().addListener((o, a, v) -> prepare(v, newBase));
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

    private void prepare(Variant v, Runnable newBase) {
        prepared.prepare(
                v,
                v == null ? null : "Preparing the preview of " + v.id() + "...",
                (s, variant) -> new Base(variant, s.prunePreviewer(variant.id(), PREVIEW_EXAMPLES)),
                b -> {
                    newBase.run();
                    ws.tasks()
                            .run(
                                    "weight histogram",
                                    () -> b.preview().histogram(80),
                                    histogram::set,
                                    ws.status()::error);
                    requestPreview();
                });
    }

    /** The base variant's model and preview, or null while there is none (yet). */
    Base current() {
        return prepared.current();
    }

    /** The setting the controls describe now. */
    PruneSetting request() {
        if (mode.get() == PruneMode.UNIT) {
            return PruneSetting.units(Math.min(0.95, amount.get()), UnitCriterion.L1);
        }
        if (byThreshold.get()) {
            return PruneSetting.of(ConnectionPruneSpec.belowThreshold(thresholdOf(amount.get())));
        }
        double s = Math.min(0.99, amount.get());
        return PruneSetting.of(
                scope.get() == Scope.GLOBAL ? ConnectionPruneSpec.global(s) : ConnectionPruneSpec.perLayer(s));
    }

    /** The setting of the current mode and scope that removes the share {@code level}. */
    PruneSetting at(double level) {
        return mode.get() == PruneMode.UNIT
                ? PruneSetting.units(level, UnitCriterion.L1)
                : PruneSetting.of(
                        scope.get() == Scope.GLOBAL
                                ? ConnectionPruneSpec.global(level)
                                : ConnectionPruneSpec.perLayer(level));
    }

    /** Threshold mode: the slider runs over the weights' magnitudes, 0 to the largest. */
    private double thresholdOf(double slider) {
        Base b = prepared.current();
        return b == null ? 0 : slider * b.preview().largestMagnitude();
    }

    @SuppressWarnings("ReferenceEquality") // latest request wins: only the very base still current may show
    private void requestPreview() {
        Base b = prepared.current();
        updateTargetText();
        if (b == null) {
            return;
        }
        PruneSetting r;
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
    private static double lineFor(Base b, PruneSetting r) {
        ConnectionPruneSpec c = r.connection();
        if (c == null || c.scope() != PruneScope.GLOBAL) {
            return Double.NaN;
        }
        if (c.threshold() != null) {
            return c.threshold();
        }
        return b.preview().cutoff(c.sparsity());
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

    static String describe(PrunePreviewResult r) {
        return String.format(
                Locale.ROOT,
                "%s | sparsity %.1f%% | %,d of %,d parameters" + " left | file %s | %.0f ms",
                dev.keiryo.app.charts.Wilson.describe(r.accuracy(), r.examples()),
                100 * r.sparsity(),
                r.nonZeros(),
                r.parameters(),
                Bytes.human(r.fileBytes()),
                r.millis());
    }

    ObjectProperty<PruneMode> modeProperty() {
        return mode;
    }

    ObjectProperty<Scope> scopeProperty() {
        return scope;
    }

    BooleanProperty byThresholdProperty() {
        return byThreshold;
    }

    DoubleProperty amountProperty() {
        return amount;
    }

    StringProperty targetTextProperty() {
        return targetText;
    }

    StringProperty previewTextProperty() {
        return previewText;
    }

    ObjectProperty<PrunePreviewResult> previewProperty() {
        return preview;
    }

    ObjectProperty<WeightHistogram> histogramProperty() {
        return histogram;
    }

    DoubleProperty thresholdProperty() {
        return threshold;
    }

    ReadOnlyBooleanProperty readyProperty() {
        return prepared.readyProperty();
    }
}
