package dev.keiryo.engine.api.run;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cooperative cancellation: DL4J's {@code fit()} never checks interrupts, so the trainer asks this
 * token between minibatches and stops at a consistent point.
 *
 * <p>The same token can also hold training between minibatches ({@link #pause()}) without ending
 * the run: the single-device loop waits in {@link #holdWhilePaused()} until {@link #unpause()} or
 * {@link #cancel()}. Data-parallel epochs hold their feed instead, between rounds of one minibatch
 * per worker, once the minibatches already handed out are trained; the workers then idle on an
 * empty queue, and the hang watchdog does not count the held time as a stall.
 */
public final class CancellationToken {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final Object lock = new Object();
    private boolean paused;
    private long heldNanos;

    public void cancel() {
        cancelled.set(true);
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Asks training to hold after the current minibatch, until {@link #unpause()} (or {@link #cancel()}). */
    public void pause() {
        synchronized (lock) {
            paused = true;
        }
    }

    /** Lets held training continue. */
    public void unpause() {
        synchronized (lock) {
            paused = false;
            lock.notifyAll();
        }
    }

    public boolean isPaused() {
        synchronized (lock) {
            return paused;
        }
    }

    /**
     * Blocks the calling (training) thread while paused and not cancelled. Returns the nanoseconds it
     * held, which are also added to {@link #heldNanos()} so that rates can leave the pause out. An
     * interrupt ends the hold early and keeps the thread's interrupt flag.
     */
    public long holdWhilePaused() {
        long start = System.nanoTime();
        synchronized (lock) {
            try {
                while (paused && !cancelled.get()) {
                    lock.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long held = System.nanoTime() - start;
            heldNanos += held;
            return held;
        }
    }

    /** All the time training has spent held by a pause so far. */
    public long heldNanos() {
        synchronized (lock) {
            return heldNanos;
        }
    }
}
