package dev.keiryo.app.workspace;

import dev.keiryo.engine.api.engine.Session;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.StringProperty;

/**
 * What a view builds off the UI thread for the model it starts from (a pruning or quantization
 * preview of the base variant, a distillation teacher), rebuilt whenever that choice changes. The
 * old one is closed at once; while the new one is built the view says so and is not ready; a
 * result that arrives after a newer request is closed and dropped, so the latest choice wins.
 *
 * @param <K> what the view chose (a variant, a teacher)
 * @param <B> what is built for it
 */
public final class Prepared<K, B> {
    /** Builds for one choice, off the UI thread. */
    @FunctionalInterface
    public interface Builder<K, B> {
        B build(Session session, K key) throws Exception;
    }

    private final Workspace ws;
    private final String what;
    private final StringProperty text;
    private final Consumer<B> close;
    private final BooleanProperty ready = new SimpleBooleanProperty();
    private volatile B current;
    private long requests;

    /**
     * @param what the work's name, for the executor
     * @param text the view's line that says what is going on (and shows a failure as a sentence)
     * @param close releases a built value that is no longer wanted
     */
    public Prepared(Workspace ws, String what, StringProperty text, Consumer<B> close) {
        this.ws = ws;
        this.what = what;
        this.text = text;
        this.close = close;
    }

    /**
     * Rebuilds for {@code key}; call on the UI thread. With no key or no session there is nothing to
     * work on, and the view says so.
     *
     * @param preparing what the view shows meanwhile
     * @param onReady runs on the UI thread with the new value once it is the current one
     */
    public void prepare(K key, String preparing, Builder<K, B> build, Consumer<B> onReady) {
        long request = ++requests;
        B old = current;
        current = null;
        ready.set(false);
        if (old != null) {
            close.accept(old);
        }
        Session s = ws.session().orElse(null);
        if (key == null || s == null) {
            text.set("Train or open a model first.");
            return;
        }
        text.set(preparing);
        ws.tasks()
                .run(
                        what,
                        () -> build.build(s, key),
                        b -> {
                            if (request != requests) {
                                close.accept(b);
                                return;
                            }
                            current = b;
                            ready.set(true);
                            onReady.accept(b);
                        },
                        e -> {
                            if (request == requests) {
                                text.set(Errors.describe(e));
                            }
                        });
    }

    /** The value built for the latest choice, or null while there is none (yet). */
    public B current() {
        return current;
    }

    public ReadOnlyBooleanProperty readyProperty() {
        return ready;
    }
}
