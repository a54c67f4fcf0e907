package dev.keiryo.engine.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.TrainResult;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.TrainingListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * Training on its own thread whose listener pauses the token once iteration {@code pauseAfter} is
 * reported, recording every event: what the pause tests of both trainers share.
 */
public final class PausedRun {
    public final CancellationToken token = new CancellationToken();
    private final List<TrainingEvent> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch holding = new CountDownLatch(1);
    private final AtomicReference<TrainResult> result = new AtomicReference<>();
    private final long pauseAfter;
    private final Thread thread;
    private long started;
    private long ended;

    /** {@code training} trains with the listener and token it is given and returns the result. */
    public PausedRun(long pauseAfter, BiFunction<TrainingListener, CancellationToken, TrainResult> training) {
        this.pauseAfter = pauseAfter;
        this.thread = new Thread(() -> result.set(training.apply(this::onEvent, token)), "paused-training");
    }

    private void onEvent(TrainingEvent e) {
        events.add(e);
        if (e instanceof TrainingEvent.Iteration it && it.iteration() == pauseAfter) {
            token.pause();
        }
        if (e instanceof TrainingEvent.Pause p && p.holding()) {
            holding.countDown();
        }
    }

    public void startAndWaitUntilHeld() throws InterruptedException {
        started = System.nanoTime();
        thread.start();
        boolean held = false;
        for (int i = 0; i < 1200 && !held && (i == 0 || thread.isAlive()); i++) {
            held = holding.await(100, TimeUnit.MILLISECONDS);
        }
        assertTrue(
                held,
                () -> "training holds after minibatch " + pauseAfter + "; it ended with "
                        + (result.get() == null
                                ? "nothing"
                                : result.get().outcome() + " (" + result.get().message() + ")")
                        + " after "
                        + all(TrainingEvent.Iteration.class).size() + " minibatches and the events "
                        + all(TrainingEvent.Pause.class));
    }

    public void join() throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(120));
        ended = System.nanoTime();
        assertFalse(thread.isAlive(), "training ended");
    }

    /** The training's result; null while it runs. */
    public TrainResult result() {
        return result.get();
    }

    public Thread thread() {
        return thread;
    }

    /** Nanoseconds from the start to the end of the join. */
    private long wallNanos() {
        return ended - started;
    }

    public List<TrainingEvent> events() {
        return List.copyOf(events);
    }

    /**
     * The hold, at least {@code minHeldNanos}, is left out of the first epoch's seconds and of the
     * samples/s of the first minibatch after the hold (minibatches of {@code batchSize}): both spans lie
     * inside the wall time, so counting the hold in them as well would overshoot it.
     */
    public void assertHeldTimeLeftOut(long minHeldNanos, int batchSize) {
        long held = token.heldNanos();
        // The trainer reports the pause before its thread enters the hold, and the test starts its sleep on
        // that report: on a loaded machine the hold can begin a few ms later than the sleep (10.5 ms in one
        // CI run at load 6 on 2 cores), and Thread.sleep may wake early. Allow 250 ms.
        assertTrue(held >= minHeldNanos - 250_000_000L, "held " + held + " ns");
        long wall = wallNanos();
        TrainingEvent.Epoch first = all(TrainingEvent.Epoch.class).get(0);
        assertTrue(
                first.seconds() * 1e9 + held <= wall,
                "epoch 1's seconds leave the hold out: " + first.seconds() + " s");
        int before = all(TrainingEvent.Pause.class).get(0).batchInEpoch();
        TrainingEvent.Iteration after = all(TrainingEvent.Iteration.class).get(before);
        double activeNanos = (double) batchSize * after.batchInEpoch() / after.samplesPerSecond() * 1e9;
        assertTrue(
                activeNanos + held <= wall,
                "samples/s after the pause leaves the hold out: " + after.samplesPerSecond());
    }

    public <T extends TrainingEvent> List<T> all(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
