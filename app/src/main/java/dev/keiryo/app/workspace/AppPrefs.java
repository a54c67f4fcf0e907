package dev.keiryo.app.workspace;

import java.nio.file.Path;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * What the workbench remembers between starts: window size and position, the workspace (the
 * folder holding {@code runs/}) and the last experiment file. Stored with java.util.prefs; tests
 * pass their own node so they never touch the user's settings.
 */
public final class AppPrefs {
    private final Preferences node;

    public AppPrefs(Preferences node) {
        this.node = node;
    }

    public static AppPrefs user() {
        return new AppPrefs(Preferences.userRoot().node("dev/keiryo/workbench"));
    }

    public double width() {
        return node.getDouble("window.width", 1280);
    }

    public double height() {
        return node.getDouble("window.height", 860);
    }

    public double x() {
        return node.getDouble("window.x", Double.NaN);
    }

    public double y() {
        return node.getDouble("window.y", Double.NaN);
    }

    public boolean maximized() {
        return node.getBoolean("window.maximized", false);
    }

    public void window(double x, double y, double width, double height, boolean maximized) {
        node.putDouble("window.x", x);
        node.putDouble("window.y", y);
        node.putDouble("window.width", width);
        node.putDouble("window.height", height);
        node.putBoolean("window.maximized", maximized);
        flush();
    }

    /** The workspace folder; defaults to the working directory, as the CLI's {@code ./runs}. */
    public Path workspace() {
        return Path.of(node.get("workspace", Path.of("").toAbsolutePath().toString()));
    }

    public void workspace(Path dir) {
        node.put("workspace", dir.toAbsolutePath().toString());
        flush();
    }

    public String lastExperiment() {
        return node.get("experiment.last", null);
    }

    public void lastExperiment(Path file) {
        node.put("experiment.last", file.toAbsolutePath().toString());
        flush();
    }

    private void flush() {
        try {
            node.flush();
        } catch (BackingStoreException e) {
            // Remembering is a convenience; an unwritable preference store must not stop work.
        }
    }
}
