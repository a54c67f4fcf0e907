package dev.keiryo.engine.train;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cooperative cancellation: DL4J's {@code fit()} never checks interrupts, so the trainer asks this
 * token between minibatches and stops at a consistent point.
 */
public final class CancellationToken {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }
}
