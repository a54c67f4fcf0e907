package dev.keiryo.engine.train.parallel;

import dev.keiryo.engine.train.TrainingEvent;
import dev.keiryo.engine.train.TrainingListener;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * The DL4J listener every worker replica calls, concurrently, after each of its minibatches. It
 * turns those calls into the same {@link TrainingEvent.Iteration} stream a single-device run emits,
 * one event at a time (the engine's listeners need not be thread-safe), and stops the epoch when a
 * worker's loss is not finite.
 */
final class WorkerProgress extends BaseTrainingListener {
    private final Object lock = new Object();
    private final int epoch;
    private final long firstIteration;
    private final int batches;
    private final int batchSize;
    private final long examplesPerEpoch;
    private final TrainingListener sink;
    private final Runnable stop;
    private final long start = System.nanoTime();
    private volatile long lastProgress = System.nanoTime();
    private int done;
    private double lossSum;
    private String divergence;

    WorkerProgress(int epoch, long firstIteration, int batches, int batchSize, long examplesPerEpoch, TrainingListener sink,
            Runnable stop) {
        this.epoch = epoch;
        this.firstIteration = firstIteration;
        this.batches = batches;
        this.batchSize = batchSize;
        this.examplesPerEpoch = examplesPerEpoch;
        this.sink = sink;
        this.stop = stop;
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
                stop.run();
                return;
            }
            lossSum += loss;
            long samples = Math.min((long) done * batchSize, examplesPerEpoch);
            double seconds = (System.nanoTime() - start) / 1e9;
            sink.onEvent(new TrainingEvent.Iteration(epoch, firstIteration + done, Math.min(done, batches), batches, loss,
                    samples / seconds));
        }
    }

    /** System.nanoTime() of the last finished minibatch (or of the start). */
    long lastProgressNanos() {
        return lastProgress;
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
