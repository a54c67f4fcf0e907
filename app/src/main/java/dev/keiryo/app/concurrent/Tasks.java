package dev.keiryo.app.concurrent;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Where view models send engine work: {@code work} runs off the UI thread and its outcome comes
 * back on the UI thread. The FX implementation uses background threads and Platform.runLater;
 * tests of view models run the work inline instead, on the calling thread.
 */
public interface Tasks {
    /**
     * Runs {@code work} off the UI thread, then {@code onDone} with its result or {@code onError}
     * with what it threw, on the UI thread.
     *
     * @param what a few words naming the work ("apply quantization"): the FX implementation names
     *     its worker thread after them while the work runs, so a thread dump of a busy or stuck
     *     workbench says what each worker is doing
     */
    <T> void run(String what, Callable<T> work, Consumer<T> onDone, Consumer<Throwable> onError);

    /** Runs {@code r} on the UI thread (later, unless already on it and inline). */
    void ui(Runnable r);

    /**
     * Runs {@code tick} on the UI thread every {@code millis} until the returned action is run. The
     * inline implementation never ticks: its work is over by the time anyone looks, and callers
     * flush what is left when they stop.
     */
    Runnable every(long millis, Runnable tick);
}
