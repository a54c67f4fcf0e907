package dev.keiryo.engine.train.parallel;

import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.TrainingListener;
import dev.keiryo.engine.train.FusedAdam;
import java.util.function.BooleanSupplier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * The DL4J listener every worker replica calls, concurrently, after each of its minibatches. It
 * turns those calls into the same {@link TrainingEvent.Iteration} stream a single-device run emits,
 * one event at a time (the engine's listeners need not be thread-safe), and records a worker's loss
 * that is not finite, which ends the epoch's feed.
 *
 * <p>A pause is held here, for the feed: the time held counts neither in samples/s nor as a stall.
 */
final class WorkerProgress extends BaseTrainingListener {
    private final Object lock = new Object();
    private final int epoch;
    private final long firstIteration;
    private final int batches;
    private final int batchSize;
    private final long examplesPerEpoch;
    private final TrainingListener sink;
    private final CancellationToken token;
    private final long start = System.nanoTime();
    private final long heldBefore;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean holding;
    private int done;
    private double lossSum;
    private String divergence;

    WorkerProgress(
            int epoch,
            long firstIteration,
            int batches,
            int batchSize,
            long examplesPerEpoch,
            TrainingListener sink,
            CancellationToken token) {
        this.epoch = epoch;
        this.firstIteration = firstIteration;
        this.batches = batches;
        this.batchSize = batchSize;
        this.examplesPerEpoch = examplesPerEpoch;
        this.sink = sink;
        this.token = token;
        this.heldBefore = token.heldNanos();
    }

    /** Before each update, on the worker's own thread: its replica's Adam runs as a single device's does. */
    @Override
    public void onGradientCalculation(Model model) {
        if (model instanceof ComputationGraph net) {
            FusedAdam.install(net);
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int modelEpoch) {
        double loss = model.score();
        lastProgress = System.nanoTime();
        synchronized (lock) {
            done++;
            if (!Double.isFinite(loss)) {
                if (divergence == null) {
                    divergence = "training diverged at epoch " + epoch + ", iteration " + (firstIteration + done)
                            + " (loss = " + loss + " in a worker)";
                }
                return;
            }
            lossSum += loss;
            long samples = Math.min((long) done * batchSize, examplesPerEpoch);
            // No minibatch trains during a hold (see holdWhilePaused), so all the time held so far lies behind us.
            double seconds = (System.nanoTime() - start - (token.heldNanos() - heldBefore)) / 1e9;
            sink.onEvent(new TrainingEvent.Iteration(
                    epoch, firstIteration + done, Math.min(done, batches), batches, loss, samples / seconds));
        }
    }

    /**
     * Holds the calling feed thread while the token is paused; the caller knows that no minibatch is
     * being trained. Sends the Pause events around the hold. Returns at once when {@code open} is false
     * or the token is no longer paused, and early on an interrupt (keeping the flag).
     */
    void holdWhilePaused(BooleanSupplier open) {
        synchronized (lock) {
            if (!open.getAsBoolean() || !token.isPaused()) {
                return;
            }
            holding = true;
            sink.onEvent(new TrainingEvent.Pause(epoch, Math.min(done, batches), batches, true));
        }
        token.holdWhilePaused();
        synchronized (lock) {
            lastProgress = System.nanoTime();
            holding = false;
            if (open.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
                sink.onEvent(new TrainingEvent.Pause(epoch, Math.min(done, batches), batches, false));
            }
        }
    }

    /** System.nanoTime() of the last finished minibatch (or of the start, or of a hold's end); now while held. */
    long lastProgressNanos() {
        return holding ? System.nanoTime() : lastProgress;
    }

    int minibatches() {
        synchronized (lock) {
            return done;
        }
    }

    double lossSum() {
        synchronized (lock) {
            return lossSum;
        }
    }

    /** The sentence for a non-finite loss, or null. */
    String divergence() {
        synchronized (lock) {
            return divergence;
        }
    }
}
