package dev.keiryo.app.workspace;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** The status bar's state: the latest message, whether it is an error, and whether work is running. */
public final class Status {
    private final StringProperty message = new SimpleStringProperty("Ready.");
    private final BooleanProperty error = new SimpleBooleanProperty();
    private final BooleanProperty busy = new SimpleBooleanProperty();

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

    public void busy(boolean b) {
        busy.set(b);
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
}
