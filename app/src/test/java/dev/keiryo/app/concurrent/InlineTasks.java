package dev.keiryo.app.concurrent;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** Runs work at once on the calling thread: for testing view models without a UI thread. */
public final class InlineTasks implements Tasks {
    @Override
    public <T> void run(String what, Callable<T> work, Consumer<T> onDone, Consumer<Throwable> onError) {
        T result;
        try {
            result = work.call();
        } catch (Exception e) {
            onError.accept(e);
            return;
        }
        onDone.accept(result);
    }

    @Override
    public void ui(Runnable r) {
        r.run();
    }

    @Override
    public Runnable every(long millis, Runnable tick) {
        return () -> {};
    }
}
