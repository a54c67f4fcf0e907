package dev.keiryo.engine.data;

import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Tasks {@code 0..count-1} run on the shared decoding threads and handed out in order, with at most
 * {@code ahead} of them started and not yet taken: the window bounds the memory the results hold,
 * however far the threads could run ahead of a slow consumer. A task's exception comes out of
 * {@link #next()} as it was thrown, so a bad image's sentence reaches the user unchanged.
 *
 * <p>One consumer thread; the tasks must only read shared state.
 */
final class Prefetch<T> implements AutoCloseable {
    /** Threads that decode images for every streamed data set of the process. */
    static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    private static final AtomicInteger NAMES = new AtomicInteger();

    // Daemon threads: a run that ends (or fails) half-way through an epoch must not keep the JVM alive.
    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "keiryo-decode-" + NAMES.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private final int count;
    private final int ahead;
    private final IntFunction<T> task;
    private final ArrayDeque<Future<T>> window = new ArrayDeque<>();
    private final LongAdder busyNanos;
    private int submitted;
    private int taken;
    private int largestWindow;
    private long waitNanos;

    /**
     * @param busyNanos where the tasks add the time they ran (shared by the epochs of one iterator)
     */
    Prefetch(int count, int ahead, IntFunction<T> task, LongAdder busyNanos) {
        if (ahead < 1) {
            throw new IllegalArgumentException("ahead must be >= 1, got " + ahead);
        }
        this.count = count;
        this.ahead = ahead;
        this.task = task;
        this.busyNanos = busyNanos;
        fill();
    }

    private void fill() {
        while (submitted < count && window.size() < ahead) {
            int k = submitted++;
            window.add(POOL.submit(() -> {
                long t0 = System.nanoTime();
                try {
                    return task.apply(k);
                } finally {
                    busyNanos.add(System.nanoTime() - t0);
                }
            }));
        }
        largestWindow = Math.max(largestWindow, window.size());
    }

    boolean hasNext() {
        return taken < count;
    }

    /** The next task's result, waiting for it if the threads have not finished it yet. */
    T next() {
        Future<T> f = window.poll();
        if (f == null) {
            throw new java.util.NoSuchElementException("all " + count + " tasks were taken");
        }
        taken++;
        long t0 = System.nanoTime();
        T result;
        try {
            result = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new CancellationException("interrupted while waiting for data");
        } catch (ExecutionException e) {
            close();
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            waitNanos += System.nanoTime() - t0;
        }
        fill();
        return result;
    }

    /** Nanoseconds {@link #next()} spent waiting for results. */
    long waitNanos() {
        return waitNanos;
    }

    /** The most tasks that were started and not yet taken at any time; never above {@code ahead}. */
    int largestWindow() {
        return largestWindow;
    }

    /** Cancels the tasks not yet taken; those already running finish and are dropped. */
    @Override
    public void close() {
        for (Future<T> f : window) {
            f.cancel(false);
        }
        window.clear();
        submitted = count;
        taken = count;
    }
}
