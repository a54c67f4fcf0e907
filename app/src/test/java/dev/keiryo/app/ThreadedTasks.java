package dev.keiryo.app;

import static org.junit.jupiter.api.Assertions.fail;

import dev.keiryo.app.concurrent.Tasks;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Tasks as the workbench runs them, without JavaFX: work on background threads, results and timer
 * ticks on one "UI" thread. For view-model tests that must act while work runs (pause a training).
 * Tests touch view models only through {@link #onUi}.
 */
final class ThreadedTasks implements Tasks, AutoCloseable {
    private final ExecutorService work = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-work");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService ui = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-ui");
        t.setDaemon(true);
        return t;
    });

    @Override
    public <T> void run(String what, Callable<T> job, Consumer<T> onDone, Consumer<Throwable> onError) {
        work.execute(() -> {
            try {
                T result = job.call();
                ui.execute(() -> onDone.accept(result));
            } catch (Throwable e) {
                ui.execute(() -> onError.accept(e));
            }
        });
    }

    @Override
    public void ui(Runnable r) {
        ui.execute(r);
    }

    @Override
    public Runnable every(long millis, Runnable tick) {
        ScheduledFuture<?> f = ui.scheduleAtFixedRate(tick, millis, millis, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    /** Runs {@code c} on the UI thread and waits for its result. */
    <T> T onUi(Callable<T> c) {
        try {
            return ui.submit(c).get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void onUi(Runnable r) {
        onUi(() -> {
            r.run();
            return null;
        });
    }

    /** Waits until {@code ok} (checked on the UI thread) holds. */
    void waitFor(String what, int seconds, BooleanSupplier ok) {
        if (!poll(seconds, 25, () -> onUi(ok::getAsBoolean))) {
            fail("timed out after " + seconds + " s waiting for " + what);
        }
    }

    /** Checks {@code ok} every {@code stepMillis} until it holds (true) or {@code seconds} pass (false). */
    static boolean poll(int seconds, long stepMillis, BooleanSupplier ok) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (ok.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(stepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Override
    public void close() {
        work.shutdownNow();
        ui.shutdownNow();
    }
}
