package dev.keiryo.engine.preview;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs one computation at a time on its own daemon thread, always on the newest request: while a
 * slider is dragged, requests that arrive during a computation replace each other, and a result
 * that has been superseded by then is dropped instead of delivered. The computation receives a
 * "superseded?" check so it can give up between chunks of work.
 *
 * @param <Q> the request (e.g. a pruning setting)
 * @param <R> the result
 */
public final class LatestWins<Q, R> implements AutoCloseable {
    private final BiFunction<Q, BooleanSupplier, R> compute;
    private final AtomicReference<Pending<Q, R>> pending = new AtomicReference<>();
    private final AtomicLong newest = new AtomicLong();
    private final Thread worker;
    private volatile boolean closed;

    private record Pending<Q, R>(long id, Q request, Consumer<R> onResult, Consumer<Throwable> onError) {}

    public LatestWins(String name, BiFunction<Q, BooleanSupplier, R> compute) {
        this.compute = compute;
        this.worker = new Thread(this::loop, name);
        worker.setDaemon(true);
        worker.start();
    }

    /** Queues a request, replacing any request that has not started yet. */
    public void submit(Q request, Consumer<R> onResult, Consumer<Throwable> onError) {
        long id = newest.incrementAndGet();
        pending.set(new Pending<>(id, request, onResult, onError));
        synchronized (this) {
            notifyAll();
        }
    }

    private void loop() {
        while (!closed) {
            Pending<Q, R> p = pending.getAndSet(null);
            if (p == null) {
                synchronized (this) {
                    try {
                        if (pending.get() == null && !closed) {
                            wait(200);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                continue;
            }
            BooleanSupplier superseded = () -> newest.get() != p.id() || closed;
            try {
                R r = compute.apply(p.request(), superseded);
                if (r != null && !superseded.getAsBoolean()) {
                    p.onResult().accept(r);
                }
            } catch (RuntimeException e) {
                if (!superseded.getAsBoolean() && p.onError() != null) {
                    p.onError().accept(e);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
    }
}
