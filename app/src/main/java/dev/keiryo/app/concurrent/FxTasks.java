package dev.keiryo.app.concurrent;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.application.Platform;

/** Background daemon threads for engine work; results go back through Platform.runLater. */
public final class FxTasks implements Tasks, AutoCloseable {
    private final ExecutorService pool;

    public FxTasks() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory f = r -> {
            Thread t = new Thread(r, "keiryo-work-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newCachedThreadPool(f);
    }

    @Override
    public <T> void run(String what, Callable<T> work, Consumer<T> onDone, Consumer<Throwable> onError) {
        try {
            pool.execute(() -> named(what, () -> task(work, onDone, onError)));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // The application is closing: a callback that arrives late starts nothing new.
        }
    }

    /** Runs {@code r} with {@code what} in the thread's name, e.g. "keiryo-work-3 (apply quantization)". */
    static void named(String what, Runnable r) {
        Thread t = Thread.currentThread();
        String idle = t.getName();
        t.setName(idle + " (" + what + ")");
        try {
            r.run();
        } finally {
            t.setName(idle);
        }
    }

    private static <T> void task(Callable<T> work, Consumer<T> onDone, Consumer<Throwable> onError) {
        try {
            T result = work.call();
            Platform.runLater(() -> onDone.accept(result));
        } catch (Throwable e) {
            Platform.runLater(() -> onError.accept(e));
        }
    }

    @Override
    public void ui(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }

    @Override
    public Runnable every(long millis, Runnable tick) {
        javafx.animation.Timeline t = new javafx.animation.Timeline(
                new javafx.animation.KeyFrame(javafx.util.Duration.millis((double) millis), e -> tick.run()));
        t.setCycleCount(javafx.animation.Animation.INDEFINITE);
        ui(t::play);
        return () -> ui(t::stop);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
