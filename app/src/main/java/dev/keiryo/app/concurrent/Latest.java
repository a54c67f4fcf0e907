package dev.keiryo.app.concurrent;

import java.util.function.Consumer;

/**
 * One background computation at a time through {@link Tasks}, always for the newest request:
 * requests made while one runs replace each other, and only the newest one's outcome is delivered.
 * For checks and descriptions that follow the controls (the engine preview classes have their own
 * thread; this one stays on the view model's executor, so inline tests see results at once).
 * Call {@link #submit} on the UI thread.
 */
public final class Latest<Q, R> {
    /** The computation, off the UI thread. */
    @FunctionalInterface
    public interface Work<Q, R> {
        R run(Q request) throws Exception;
    }

    private final Tasks tasks;
    private final String what;
    private final Work<Q, R> work;
    private final Consumer<R> onResult;
    private final Consumer<Throwable> onError;
    private boolean busy;
    private boolean waiting;
    private Q next;

    public Latest(Tasks tasks, String what, Work<Q, R> work, Consumer<R> onResult, Consumer<Throwable> onError) {
        this.tasks = tasks;
        this.what = what;
        this.work = work;
        this.onResult = onResult;
        this.onError = onError;
    }

    public void submit(Q request) {
        next = request;
        waiting = true;
        if (!busy) {
            runNext();
        }
    }

    private void runNext() {
        Q q = next;
        next = null;
        waiting = false;
        busy = true;
        tasks.run(what, () -> work.run(q), r -> done(() -> onResult.accept(r)), e -> done(() -> onError.accept(e)));
    }

    private void done(Runnable deliver) {
        busy = false;
        if (waiting) {
            runNext();
        } else {
            deliver.run();
        }
    }
}
