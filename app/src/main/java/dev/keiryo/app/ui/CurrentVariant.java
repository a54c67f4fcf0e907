package dev.keiryo.app.ui;

import dev.keiryo.app.workspace.Bytes;
import dev.keiryo.engine.api.run.Variant;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Label;

/**
 * The variant an operation view works on (id, step, accuracy, file size), shown in the view itself:
 * the status bar says it once, and the next message replaces it.
 */
public final class CurrentVariant extends Label {
    /**
     * @param role what the variant is to this view ("Working on", "Teacher")
     * @param variant the variant, null while there is none (or the teacher is a file)
     */
    public CurrentVariant(String id, String role, ObservableValue<Variant> variant) {
        setId(id);
        getStyleClass().add("current-variant");
        setStyle("-fx-font-weight: bold;");
        textProperty().bind(Bindings.createStringBinding(() -> text(role, variant.getValue()), variant));
    }

    public static String text(String role, Variant v) {
        if (v == null) {
            return role + ": no variant yet (train a model, or open a run on the Experiments tab).";
        }
        return String.format(
                Locale.ROOT,
                "%s: %s (%s), accuracy %.2f%%, %s",
                role,
                v.id(),
                v.step(),
                100 * v.metrics().accuracy(),
                Bytes.human(v.metrics().fileBytes()));
    }
}
