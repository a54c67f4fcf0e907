package dev.keiryo.engine.train.parallel;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * One epoch of the trainer's iterator as ParallelWrapper sees it: it ends early once stopped
 * (cancellation, divergence, the watchdog), counts the examples handed out, and never resets, so
 * ParallelWrapper's defensive {@code reset()} cannot skip to the next epoch's order.
 */
final class FeedIterator implements DataSetIterator {
    private static final long serialVersionUID = 1L;

    private final transient DataSetIterator source;
    private final boolean prefetch;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong examples = new AtomicLong();

    FeedIterator(DataSetIterator source, boolean prefetch) {
        this.source = source;
        this.prefetch = prefetch;
    }

    void stop() {
        stopped.set(true);
    }

    /** Examples handed to the workers (or to the prefetch thread) so far. */
    long examples() {
        return examples.get();
    }

    @Override
    public boolean hasNext() {
        return !stopped.get() && source.hasNext();
    }

    @Override
    public DataSet next() {
        DataSet ds = source.next();
        examples.addAndGet(ds.numExamples());
        return ds;
    }

    @Override
    public DataSet next(int num) {
        DataSet ds = source.next(num);
        examples.addAndGet(ds.numExamples());
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

    // The order is fixed by the source; a prefetch thread only prepares the same batches earlier.
    @Override
    public boolean asyncSupported() {
        return prefetch;
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
