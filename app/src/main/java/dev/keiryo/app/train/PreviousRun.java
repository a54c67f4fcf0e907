package dev.keiryo.app.train;

import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.engine.Session;
import dev.keiryo.engine.api.run.Variant;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * A new session replaces the variants on show. When the current run has variants beyond its
 * trained model, that is work the user may not mean to put away, so they are asked first; the
 * replaced run stays one click away afterwards.
 */
public final class PreviousRun {
    private final Workspace ws;
    private final ObjectProperty<Path> run = new SimpleObjectProperty<>();
    private Predicate<String> confirm = question -> true;
    private Consumer<Path> open = dir -> {};

    PreviousRun(Workspace ws) {
        this.ws = ws;
    }

    /** False when the user would rather keep the variants on show. */
    boolean confirmReplacing() {
        Session s = ws.session().orElse(null);
        if (s == null || s.variants().size() <= 1) {
            return true;
        }
        String ids = String.join(", ", s.variants().stream().map(Variant::id).toList());
        boolean go = confirm.test("A new run replaces the variants on show (" + ids + " of run "
                + s.runDir().getFileName() + "). That run stays in the workspace: Experiments lists it,"
                + " and Show previous run on Train opens it again.");
        if (!go) {
            ws.status().info("Kept run " + s.runDir().getFileName() + " and its variants.");
        }
        return go;
    }

    /** Notes the run {@code next} replaces (null if none) before it is shown; returns it. */
    Path replacing(Session next) {
        Path before = ws.session()
                .map(Session::runDir)
                .filter(d -> !d.equals(next.runDir()))
                .orElse(null);
        run.set(before);
        return before;
    }

    /** How a new run is confirmed when it would replace derived variants (a dialog in the window). */
    public void setConfirm(Predicate<String> confirm) {
        this.confirm = confirm;
    }

    /** Where Show previous run goes (the Experiments view's opener, then Variants). */
    public void setOpener(Consumer<Path> open) {
        this.open = open;
    }

    /** The run the last new session replaced, or null. */
    public ObjectProperty<Path> runProperty() {
        return run;
    }

    /** Shows the replaced run's variants again (read only). */
    public void open() {
        if (run.get() != null) {
            open.accept(run.get());
        }
    }
}
