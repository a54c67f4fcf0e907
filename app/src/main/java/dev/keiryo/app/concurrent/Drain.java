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
        flush();
    }

    /** Hands everything queued to the consumer now; call on the UI thread. */
    public void flush() {
        List<E> batch = new ArrayList<>();
        for (E e = queue.poll(); e != null; e = queue.poll()) {
            batch.add(e);
        }
        if (!batch.isEmpty()) {
            consumer.accept(batch);
        }
    }
}
