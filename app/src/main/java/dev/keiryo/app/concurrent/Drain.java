package dev.keiryo.app.concurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * A buffer between a producer thread (the trainer, many events per second) and the UI: producers
 * {@link #offer} from any thread; a timer on the UI thread ({@link Tasks#every}) hands everything
 * queued since the last tick to the consumer in one batch, so charts change a few times a second
 * instead of once per iteration and the UI thread never sees one runLater per event.
 */
public final class Drain<E> {
    private final ConcurrentLinkedQueue<E> queue = new ConcurrentLinkedQueue<>();
    private final Tasks tasks;
    private final long everyMillis;
    private final Consumer<List<E>> consumer;
    private Runnable stopTimer;
    private long lastEnd;
    private long lastNanos;

    /** The share of the time the consumer may take; the rest is the producer's. */
    static final double UI_SHARE = 0.05;

    public Drain(Tasks tasks, long everyMillis, Consumer<List<E>> consumer) {
        this.tasks = tasks;
        this.everyMillis = everyMillis;
        this.consumer = consumer;
    }

    public void offer(E event) {
        queue.add(event);
    }

    /** Starts the timer; call on the UI thread. */
    public void start() {
        if (stopTimer == null) {
            stopTimer = tasks.every(everyMillis, this::flush);
        }
    }

    /** Stops the timer after handing over what is left; call on the UI thread. */
    public void stop() {
        if (stopTimer != null) {
            stopTimer.run();
            stopTimer = null;
        }
        deliver();
    }

    /**
     * Hands everything queued to the consumer, unless the last hand-over's work (redrawing charts,
     * on the CPU the producer trains on) would then exceed {@link #UI_SHARE} of the time since it
     * ended: a chart that takes 30 ms to draw is then redrawn every 600 ms rather than every tick.
     * Call on the UI thread.
     */
    public void flush() {
        if (System.nanoTime() - lastEnd < lastNanos / UI_SHARE) {
            return;
        }
        deliver();
    }

    private void deliver() {
        List<E> batch = new ArrayList<>();
        for (E e = queue.poll(); e != null; e = queue.poll()) {
            batch.add(e);
        }
        if (!batch.isEmpty()) {
            long start = System.nanoTime();
            consumer.accept(batch);
            lastEnd = System.nanoTime();
            lastNanos = lastEnd - start;
        }
    }
}
