package dev.keiryo.engine.data;

/**
 * How an iterator's minibatches were made: the time the consumer waited for them against the time
 * spent building them (on background threads when streamed, on the consumer's own thread otherwise).
 *
 * @param streamed the minibatches were decoded from image files on background threads
 * @param batches minibatches handed out
 * @param examples examples in them
 * @param waitNanos time the consumer spent in {@code next()}, waiting for and copying minibatches
 * @param buildNanos time spent building minibatches, summed over the threads that built them
 * @param threads threads that built them
 * @param prefetch minibatches that may be built ahead of the consumer (0 when not streamed)
 * @param largestWindow the most minibatches that were built or being built ahead at any time
 */
public record StreamStats(
        boolean streamed,
        long batches,
        long examples,
        long waitNanos,
        long buildNanos,
        int threads,
        int prefetch,
        int largestWindow) {

    /** Examples per second the building threads can deliver together, from their busy time. */
    public double examplesPerSecond() {
        return buildNanos == 0 ? 0 : examples * 1e9 * threads / buildNanos;
    }

    /** The changes since {@code earlier} (the window is the largest over both). */
    public StreamStats since(StreamStats earlier) {
        return new StreamStats(
                streamed,
                batches - earlier.batches,
                examples - earlier.examples,
                waitNanos - earlier.waitNanos,
                buildNanos - earlier.buildNanos,
                threads,
                prefetch,
                largestWindow);
    }

    /**
     * A sentence comparing what the decoding threads can deliver with what training took, over
     * {@code seconds} of training.
     */
    public String describe(double seconds) {
        return String.format(
                java.util.Locale.ROOT,
                "streamed %,d images from disk: %d decoding thread%s can deliver %,.0f images/s, training took"
                        + " %,.0f images/s and waited %.1f%% of its time for data (at most %d of %d minibatches"
                        + " ahead)",
                examples,
                threads,
                threads == 1 ? "" : "s",
                examplesPerSecond(),
                seconds > 0 ? examples / seconds : 0,
                seconds > 0 ? 100 * waitNanos / 1e9 / seconds : 0,
                largestWindow,
                prefetch);
    }
}
