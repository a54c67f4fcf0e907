package dev.keiryo.app;

import dev.keiryo.engine.api.engine.Session;
import dev.keiryo.engine.api.experiment.Experiment;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.application.Platform;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;

/** Drives a live workbench from another thread, as the benchmark and the soak do: one call, one wait. */
final class FxDriver {
    private FxDriver() {}

    /** Starts the JavaFX runtime and returns once it runs. */
    static void startFx() {
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        try {
            started.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static <T> T onFx(Callable<T> c) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.join();
    }

    static void runFx(Runnable r) {
        onFx(() -> {
            r.run();
            return null;
        });
    }

    /** Polls {@code ok} on the UI thread every 50 ms until it holds; fails after {@code minutes}. */
    static void waitUntil(BooleanSupplier ok, int minutes) {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        while (!onFx(ok::getAsBoolean)) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out waiting for the workbench");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static void waitUntil(BooleanSupplier ok) {
        waitUntil(ok, 2);
    }

    /** Trains {@code exp} from the Train view and returns the new session's run folder once it ends. */
    static Path trainInGui(Workbench wb, Experiment exp) {
        CompletableFuture<Path> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            ChangeListener<Boolean> l = new ChangeListener<>() {
                @Override
                public void changed(ObservableValue<? extends Boolean> o, Boolean was, Boolean is) {
                    if (!is) {
                        wb.train().runningProperty().removeListener(this);
                        done.complete(
                                wb.workspace().session().map(Session::runDir).orElse(null));
                    }
                }
            };
            wb.train().runningProperty().addListener(l);
            wb.tabs().getSelectionModel().select(2);
            wb.train().start(exp);
        });
        return done.join();
    }

    /** Milliseconds from {@code move} (run on the UI thread) to the next change of {@code shown}. */
    static double latency(StringProperty shown, Runnable move) {
        CompletableFuture<Long> changed = new CompletableFuture<>();
        long[] start = new long[1];
        Platform.runLater(() -> {
            String before = shown.get();
            ChangeListener<String> l = new ChangeListener<>() {
                @Override
                public void changed(ObservableValue<? extends String> o, String a, String b) {
                    if (!b.equals(before)) {
                        shown.removeListener(this);
                        changed.complete(System.nanoTime());
                    }
                }
            };
            shown.addListener(l);
            start[0] = System.nanoTime();
            move.run();
        });
        try {
            return (changed.get(60, TimeUnit.SECONDS) - start[0]) / 1e6;
        } catch (Exception e) {
            throw new IllegalStateException("the preview did not update within 60 s", e);
        }
    }
}
