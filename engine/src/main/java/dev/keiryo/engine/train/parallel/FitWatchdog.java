package dev.keiryo.engine.train.parallel;

import dev.keiryo.engine.api.run.CancellationToken;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Runs a blocking fit on its own thread and waits for it, so that neither a cancellation nor a
 * ParallelWrapper that hangs (SHARED_GRADIENTS deadlocked on a repeated fit in 3 of 4 runs) can hang
 * Keiryo. On cancellation it asks the fit to stop; when no progress is reported for {@code stallNanos}
 * it asks too, waits a grace period, and gives up on the thread (a daemon) if it is still stuck.
 */
final class FitWatchdog {
    private static final long POLL_MILLIS = 50;

    enum Ending {
        FINISHED,
        STALLED
    }

    private FitWatchdog() {}

    /**
     * @param progressNanos the System.nanoTime() of the last progress; a fit held by a pause reports the
     *     present, so a pause of any length is not a stall
     * @param stop asks the fit to end soon; may be called more than once
     * @throws RuntimeException what the fit threw
     */
    static Ending run(
            Runnable fit,
            LongSupplier progressNanos,
            Runnable stop,
            CancellationToken cancel,
            long stallNanos,
            String threadName) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(
                () -> {
                    try {
                        fit.run();
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                },
                threadName);
        t.setDaemon(true);
        long started = System.nanoTime();
        t.start();
        boolean cancelSent = false;
        long cancelledAt = 0;
        try {
            while (t.isAlive()) {
                t.join(POLL_MILLIS);
                long now = System.nanoTime();
                if (!cancelSent && cancel.isCancelled()) {
                    cancelSent = true;
                    cancelledAt = now;
                    stop.run();
                }
                long lastSign = Math.max(Math.max(started, cancelledAt), progressNanos.getAsLong());
                if (t.isAlive() && now - lastSign > stallNanos) {
                    stop.run();
                    t.join(Math.max(1000, Math.min(10_000, stallNanos / 1_000_000)));
                    return Ending.STALLED;
                }
            }
        } catch (InterruptedException e) {
            stop.run();
            Thread.currentThread().interrupt();
            return Ending.STALLED;
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e != null) {
            throw new IllegalStateException(e);
        }
        return Ending.FINISHED;
    }
}
