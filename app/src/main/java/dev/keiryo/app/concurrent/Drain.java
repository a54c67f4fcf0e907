package dev.keiryo.app.concurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.util.Duration;

/**
 * A buffer between a producer thread (the trainer, many events per second) and the UI: producers
 * {@link #offer} from any thread; a Timeline on the UI thread hands everything queued since the
 * last tick to the consumer in one batch, so charts change a few times a second instead of once
 * per iteration and the UI thread never sees one runLater per event.
 */
public final class Drain<E> {
    private final ConcurrentLinkedQueue<E> queue = new ConcurrentLinkedQueue<>();
    private final Consumer<List<E>> consumer;
    private final Timeline timeline;

    public Drain(Duration every, Consumer<List<E>> consumer) {
        this.consumer = consumer;
        this.timeline = new Timeline(new KeyFrame(every, e -> flush()));
        timeline.setCycleCount(Timeline.INDEFINITE);
    }

    public void offer(E event) {
        queue.add(event);
    }

    public void start() {
        timeline.play();
    }

    /** Stops the timer after handing over what is left; call on the UI thread. */
    public void stop() {
        timeline.stop();
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
