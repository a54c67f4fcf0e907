package dev.keiryo.app.prune;

import dev.keiryo.app.prune.PrunePreview.Base;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.compress.SensitivityPoint;
import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.api.experiment.PruneMode;
import java.util.List;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/** The sensitivity curves: the accuracy of each layer pruned alone at several levels, without fine-tuning. */
final class PruneSensitivity {
    static final List<Double> LEVELS = List.of(0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95);

    private final Workspace ws;
    private final ObjectProperty<Map<String, List<SensitivityPoint>>> curves = new SimpleObjectProperty<>(Map.of());

    PruneSensitivity(Workspace ws) {
        this.ws = ws;
    }

    /** Forgets the curves, as when another base variant is ready. */
    void clear() {
        curves.set(Map.of());
    }

    /** Computes the curves of {@code b} for pruning mode {@code m}; {@code busy} is true meanwhile. */
    void compute(Base b, PruneMode m, BooleanProperty busy) {
        busy.set(true);
        ws.status().info("Computing sensitivity curves...");
        ws.tasks()
                .run(
                        "sensitivity",
                        () -> m == PruneMode.UNIT
                                ? b.preview().unitSensitivity(LEVELS, UnitCriterion.L1, null)
                                : b.preview().connectionSensitivity(LEVELS, null),
                        result -> {
                            busy.set(false);
                            curves.set(result);
                            ws.status().info("Sensitivity: " + result.size() + " layers.");
                        },
                        e -> {
                            busy.set(false);
                            ws.status().error(e);
                        });
    }

    ObjectProperty<Map<String, List<SensitivityPoint>>> curvesProperty() {
        return curves;
    }
}
