package dev.keiryo.app;

import dev.keiryo.app.concurrent.FxTasks;
import dev.keiryo.app.workspace.AppPrefs;
import dev.keiryo.engine.api.engine.Engine;
import javafx.application.Application;
import javafx.stage.Stage;

/** The JavaFX application: brings the engine's native build up, then opens the workbench window. */
public final class WorkbenchApp extends Application {
    private FxTasks tasks;

    @Override
    public void init() {
        // Before ND4J loads: the native build, layer helpers and thread settings (off the FX thread).
        Engine.local().prepare();
    }

    @Override
    public void start(Stage stage) {
        tasks = new FxTasks();
        AppPrefs prefs = AppPrefs.user();
        Workbench wb = new Workbench(tasks, prefs, prefs.workspace());
        // Anything that escapes a handler becomes a status-bar sentence, never a dialog or a dead window.
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> javafx.application.Platform.runLater(
                () -> wb.workspace().status().error(e)));
        wb.show(stage);
    }

    @Override
    public void stop() {
        if (tasks != null) {
            tasks.close();
        }
    }
}
