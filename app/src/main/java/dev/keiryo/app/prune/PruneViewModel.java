package dev.keiryo.app.prune;

import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.compress.PrunePreviewResult;
import dev.keiryo.engine.api.compress.PrunePreviewer;
import dev.keiryo.engine.api.compress.SensitivityPoint;
import dev.keiryo.engine.api.experiment.PruneMode;
import dev.keiryo.engine.api.model.WeightHistogram;
import java.util.List;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.StringProperty;

/**
 * Prune: a setting (mode, scope, a share or a magnitude threshold) previewed in the background
 * while the slider moves, newest request first (the engine's {@link PrunePreviewer}); Apply makes a
 * new variant in the session's run, optionally fine-tuned.
 *
 * <p>The work is in its parts: {@link PrunePreview} (the slider and its preview), {@link
 * PruneRunner} (apply and sweep) and {@link PruneSensitivity} (the per-layer curves). This class
 * wires them together and is what the view binds to.
 */
public final class PruneViewModel {
    public enum Scope {
        GLOBAL,
        PER_LAYER
    }

    private final PruneSensitivity sensitivity;
    private final PrunePreview preview;
    private final PruneRunner runner;
    private final javafx.beans.property.ReadOnlyObjectProperty<dev.keiryo.engine.api.run.Variant> base;

    public PruneViewModel(Workspace ws) {
        base = ws.baseProperty();
        sensitivity = new PruneSensitivity(ws);
        preview = new PrunePreview(ws, sensitivity::clear);
        runner = new PruneRunner(ws, preview);
    }

    /** The variant pruning starts from. */
    public javafx.beans.property.ReadOnlyObjectProperty<dev.keiryo.engine.api.run.Variant> baseProperty() {
        return base;
    }

    /** Accuracy of each layer pruned alone at several levels, without fine-tuning. */
    public void computeSensitivity() {
        PrunePreview.Base b = preview.current();
        if (b != null) {
            sensitivity.compute(b, preview.modeProperty().get(), runner.busyProperty());
        }
    }

    /** Makes the previewed setting a new variant (fine-tuned if asked) in the session's run. */
    public void apply() {
        runner.apply();
    }

    /** The shares a sweep applies: the interesting range of each mode. */
    public List<Double> sweepLevels() {
        return runner.sweepLevels();
    }

    /**
     * Applies the current mode and scope at each of {@link #sweepLevels()} from the base variant, one
     * variant per level, each shown on the trade-off chart as soon as it is made. Esc stops after the
     * current one.
     */
    public void sweep() {
        runner.sweep();
    }

    /** Stops fine-tuning of an Apply in progress. */
    public void stop() {
        runner.stop();
    }

    public ObjectProperty<PruneMode> modeProperty() {
        return preview.modeProperty();
    }

    public ObjectProperty<Scope> scopeProperty() {
        return preview.scopeProperty();
    }

    public BooleanProperty byThresholdProperty() {
        return preview.byThresholdProperty();
    }

    /** The slider: a share to remove, or (threshold mode) a fraction of the largest magnitude. */
    public DoubleProperty amountProperty() {
        return preview.amountProperty();
    }

    public IntegerProperty fineTuneEpochsProperty() {
        return runner.fineTuneEpochsProperty();
    }

    public StringProperty targetTextProperty() {
        return preview.targetTextProperty();
    }

    public StringProperty previewTextProperty() {
        return preview.previewTextProperty();
    }

    public ObjectProperty<PrunePreviewResult> previewProperty() {
        return preview.previewProperty();
    }

    public ObjectProperty<WeightHistogram> histogramProperty() {
        return preview.histogramProperty();
    }

    /** The global magnitude cut-off the setting implies, NaN when there is no single one. */
    public DoubleProperty thresholdProperty() {
        return preview.thresholdProperty();
    }

    public ObjectProperty<Map<String, List<SensitivityPoint>>> sensitivityProperty() {
        return sensitivity.curvesProperty();
    }

    public ReadOnlyBooleanProperty readyProperty() {
        return preview.readyProperty();
    }

    public BooleanProperty busyProperty() {
        return runner.busyProperty();
    }
}
