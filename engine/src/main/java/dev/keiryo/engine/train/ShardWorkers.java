package dev.keiryo.engine.train;

import dev.keiryo.engine.backend.NativeSetup;
import dev.keiryo.engine.backend.ThreadAffinity;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Helper threads that run parts of one training step next to the thread that trains: one per
 * further core, shared by every network, daemons, free to run on any core.
 */
final class ShardWorkers {
    private static final int HELPERS = Math.max(0, NativeSetup.cpuCores() - 1);
    /**
     * How long the calling thread spins for the helpers once its own part is done, before it
     * sleeps: the parts end within a fraction of a millisecond of each other, and waking a sleeping
     * thread took about 0.3 ms on a 2-core AMD EPYC virtual machine.
     */
    private static final long SPIN_NANOS = 2_000_000;

    private static final ExecutorService POOL = HELPERS == 0
            ? null
            : Executors.newFixedThreadPool(HELPERS, r -> {
                Thread t = new Thread(
                        () -> {
                            ThreadAffinity.allowAllCores();
                            r.run();
                        },
                        "keiryo-shard");
                t.setDaemon(true);
                return t;
            });

    private ShardWorkers() {}

    /** How many parts a step can run at once: the helpers and the calling thread. */
    static int parallelism() {
        return HELPERS + 1;
    }

    /**
     * Runs {@code work} for parts {@code 0..parts-1}, part 0 on the calling thread and the others
     * on helpers, and returns when all are done; a failure in any part is thrown here.
     */
    static void run(int parts, IntConsumer work) {
        CountDownLatch done = new CountDownLatch(parts - 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int p = 1; p < parts; p++) {
            int part = p;
            POOL.execute(() -> {
                try {
                    work.accept(part);
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            work.accept(0);
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        }
        await(done);
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
    }

    /** Waits for the helpers, even when interrupted: the parts share the step's buffers. */
    private static void await(CountDownLatch done) {
        long deadline = System.nanoTime() + SPIN_NANOS;
        while (done.getCount() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        boolean interrupted = false;
        while (done.getCount() > 0) {
            try {
                done.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
