package dev.keiryo.app.workspace;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableDoubleValue;

/**
 * The status bar's state: the latest message, whether it is an error, whether work is running, and
 * how far it is (0-1, or -1 when unknown, which the status bar shows as an animated bar).
 */
public final class Status {
    private final StringProperty message = new SimpleStringProperty("Ready.");
    private final BooleanProperty error = new SimpleBooleanProperty();
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final DoubleProperty progress = new SimpleDoubleProperty();

    public void info(String text) {
        message.set(text);
        error.set(false);
    }

    public void error(Throwable e) {
        error(Errors.describe(e));
    }

    public void error(String text) {
        message.set(text);
        error.set(true);
    }

    /** Work of unknown length starts ({@code true}) or any work ends ({@code false}). */
    public void busy(boolean b) {
        progress.unbind();
        progress.set(b ? -1 : 0);
        busy.set(b);
    }

    /**
     * Long work whose progress is known (training, distillation): the status bar follows
     * {@code fraction} until {@code busy(false)}. An animated bar would redraw the window at 60
     * frames a second for the whole run; with the workbench's rendering on the training's cores
     * that cost training about 20% of its speed on a 2-core AMD EPYC (AVX-512) (docs/benchmarks.md, workbench).
     */
    public void busy(ObservableDoubleValue fraction) {
        progress.bind(fraction);
        busy.set(true);
    }

    public ReadOnlyStringProperty messageProperty() {
        return message;
    }

    public ReadOnlyBooleanProperty errorProperty() {
        return error;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress;
    }
}
