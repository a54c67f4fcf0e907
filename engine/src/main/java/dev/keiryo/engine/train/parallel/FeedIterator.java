package dev.keiryo.engine.train.parallel;

import dev.keiryo.engine.api.run.CancellationToken;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.deeplearning4j.datasets.iterator.callbacks.InterleavedDataSetCallback;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One epoch of the trainer's iterator as ParallelWrapper sees it: it ends early once stopped
 * (cancellation, divergence, the watchdog), counts the examples handed out, and never resets, so
 * ParallelWrapper's defensive {@code reset()} cannot skip to the next epoch's order.
 *
 * <p>It is also where a pause holds. The workers are never stopped, they only find no minibatch to
 * take (DL4J's trainer threads poll their queue every 10 ms, without a deadline). ParallelWrapper's
 * fit thread hands one minibatch to each worker, waits for all of them, then asks {@code hasNext()}:
 * the feed holds that thread there, when every minibatch handed out is trained, so no worker waits
 * for a share that a pause holds back and the asynchronous mode's gradient exchange never waits for
 * a worker that has nothing to train. (The fit thread also asks {@code hasNext()} once more before
 * it hands a round out; then the round is not trained yet, and that call does not hold.)
 *
 * <p>So the fit thread reads this iterator itself: the prefetching that ParallelWrapper would put in
 * between (DL4J's AsyncDataSetIterator on its own thread, which runs ahead of the fit thread and
 * always keeps a minibatch in its hand) is done here, below the hold, with the same class.
 */
// DL4J deprecates AsyncDataSetIterator with no replacement; ParallelWrapper's own prefetch is this class.
@SuppressWarnings("deprecation")
final class FeedIterator implements DataSetIterator {
    private static final long serialVersionUID = 1L;

    private final transient DataSetIterator source;
    private final int prefetch;
    private final int workers;
    private final transient CancellationToken token;
    private final transient WorkerProgress progress;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong examples = new AtomicLong();
    private final AtomicLong minibatches = new AtomicLong();
    private transient DataSetIterator batches;

    /** @param prefetch minibatches prepared ahead on a background thread; 0 = none */
    FeedIterator(DataSetIterator source, int prefetch, int workers, CancellationToken token, WorkerProgress progress) {
        this.source = source;
        this.prefetch = prefetch;
        this.workers = workers;
        this.token = token;
        this.progress = progress;
    }

    void stop() {
        stopped.set(true);
    }

    /** Ends the prefetch thread, if there is one; for after the fit, as ParallelWrapper does with its own. */
    void close() {
        if (batches instanceof AsyncDataSetIterator async) {
            async.shutdown();
        }
    }

    /** Examples handed to the workers so far. */
    long examples() {
        return examples.get();
    }

    // Made on first use, by the fit thread, as ParallelWrapper makes its own (one queue per device with several).
    private DataSetIterator batches() {
        if (batches == null) {
            if (prefetch == 0) {
                batches = source;
            } else if (Nd4j.getAffinityManager().getNumberOfDevices() > 1) {
                batches = new AsyncDataSetIterator(
                        source,
                        prefetch,
                        new LinkedBlockingQueue<>(prefetch * workers),
                        true,
                        new InterleavedDataSetCallback(prefetch * 2));
            } else {
                batches = new AsyncDataSetIterator(source, prefetch);
            }
        }
        return batches;
    }

    private boolean open() {
        return !stopped.get() && !token.isCancelled() && progress.divergence() == null;
    }

    @Override
    public boolean hasNext() {
        if (!open() || !batches().hasNext()) {
            return false;
        }
        if (token.isPaused() && progress.minibatches() == minibatches.get()) {
            progress.holdWhilePaused(this::open);
        }
        return open();
    }

    @Override
    public DataSet next() {
        return counted(batches().next());
    }

    @Override
    public DataSet next(int num) {
        return counted(batches().next(num));
    }

    private DataSet counted(DataSet ds) {
        examples.addAndGet(ds.numExamples());
        minibatches.incrementAndGet();
        return ds;
    }

    @Override
    public boolean resetSupported() {
        return false;
    }

    @Override
    public void reset() {
        throw new UnsupportedOperationException("one epoch only; the trainer resets the underlying iterator");
    }

    // Prefetching is done above: ParallelWrapper must not put its own thread between the feed and its fit thread.
    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int inputColumns() {
        return source.inputColumns();
    }

    @Override
    public int totalOutcomes() {
        return source.totalOutcomes();
    }

    @Override
    public int batch() {
        return source.batch();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        source.setPreProcessor(preProcessor);
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return source.getPreProcessor();
    }

    @Override
    public List<String> getLabels() {
        return source.getLabels();
    }
}
