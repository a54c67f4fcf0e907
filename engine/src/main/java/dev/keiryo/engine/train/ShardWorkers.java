package dev.keiryo.engine.train;

import dev.keiryo.engine.backend.NativeSetup;
import dev.keiryo.engine.backend.ThreadAffinity;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Helper threads that run parts of one training step next to the thread that trains: one per
 * further core ({@code OMP_NUM_THREADS} limits them too), shared by every network, daemons, free
 * to run on any of the process's cores. Each helper spins for a moment after its part before it
 * sleeps, and the caller spins for the helpers' parts: waking a sleeping thread took about 0.3 ms
 * per hand-off on a 2-core AMD EPYC virtual machine.
 */
final class ShardWorkers {
    private static final long SPIN_NANOS = 2_000_000;
    private static final Helper[] HELPERS = start(NativeSetup.computeThreads() - 1);
    /** One step at a time uses the helpers; another caller meanwhile runs its parts itself. */
    private static final ReentrantLock IN_USE = new ReentrantLock();

    private ShardWorkers() {}

    /** How many parts a step can run at once: the helpers and the calling thread. */
    static int parallelism() {
        return HELPERS.length + 1;
    }

    /**
     * Runs {@code work} for parts {@code 0..parts-1}, part 0 on the calling thread and the others
     * on helpers (several on one helper when there are more parts than cores), and returns when
     * all are done; a failure in any part is thrown here.
     */
    static void run(int parts, IntConsumer work) {
        run(parts, work, true);
    }

    /**
     * As {@link #run(int, IntConsumer)}; with {@code spinAfter} false the helpers sleep as soon as
     * their parts are done, for callers whose next work runs on other threads (DL4J's layers run
     * oneDNN on the OpenMP threads, and a spinning helper would take a core from one of them).
     */
    static void run(int parts, IntConsumer work, boolean spinAfter) {
        // a part that runs parts itself (the lock is reentrant) does so on its own thread
        if (parts == 1 || HELPERS.length == 0 || IN_USE.isHeldByCurrentThread() || !IN_USE.tryLock()) {
            for (int p = 0; p < parts; p++) {
                work.accept(p);
            }
            return;
        }
        try {
            int jobs = Math.min(parts - 1, HELPERS.length);
            AtomicInteger pending = new AtomicInteger(jobs);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int h = 0; h < jobs; h++) {
                int helper = h;
                // helper h runs parts h+1, h+1+jobs, ... one after another
                HELPERS[h].give(spinAfter, () -> {
                    try {
                        for (int p = helper + 1; p < parts; p += jobs) {
                            work.accept(p);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        pending.decrementAndGet();
                    }
                });
            }
            try {
                work.accept(0);
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            }
            // the parts share the step's buffers: wait for every one, whatever happens
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (pending.get() > 0) {
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(50_000);
                }
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error err) {
                throw err;
            }
            if (t != null) {
                throw new IllegalStateException("a part of the training step failed", t);
            }
        } finally {
            IN_USE.unlock();
        }
    }

    private static Helper[] start(int count) {
        Helper[] helpers = new Helper[count];
        for (int i = 0; i < count; i++) {
            helpers[i] = new Helper();
            helpers[i].start();
        }
        return helpers;
    }

    /** A helper thread taking one job at a time. */
    private static final class Helper extends Thread {
        private volatile Runnable job;
        private volatile boolean spinAfterJob;

        Helper() {
            super("keiryo-shard");
            setDaemon(true);
        }

        void give(boolean spinAfter, Runnable r) {
            spinAfterJob = spinAfter;
            job = r;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            ThreadAffinity.allowProcessCores();
            boolean spin = false;
            while (true) {
                Runnable r = next(spin);
                spin = spinAfterJob;
                job = null;
                r.run();
            }
        }

        private Runnable next(boolean spin) {
            Runnable r;
            if (spin) {
                long deadline = System.nanoTime() + SPIN_NANOS;
                while ((r = job) == null && System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                }
            }
            while ((r = job) == null) {
                LockSupport.park(this);
            }
            return r;
        }
    }
}
