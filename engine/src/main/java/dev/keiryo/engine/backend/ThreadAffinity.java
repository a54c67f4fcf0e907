package dev.keiryo.engine.backend;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.Arrays;

/**
 * Lets a thread run on the cores the process was started with. With {@code OMP_PROC_BIND=true}
 * (Keiryo's default) OpenMP ties the thread that trains to one core, and Linux hands that tie on
 * to every thread it starts: a helper thread started from it would share its one core with it.
 */
public final class ThreadAffinity {
    private static final int MASK_BYTES = 128;
    /** The cores of the thread that set Keiryo up, before OpenMP bound any thread; null if unknown. */
    private static volatile byte[] processCores;

    private ThreadAffinity() {}

    interface Sched extends Library {
        int sched_setaffinity(int pid, long size, byte[] mask);

        int sched_getaffinity(int pid, long size, byte[] mask);
    }

    /**
     * Records the calling thread's cores as the process's own ({@code taskset}, {@code numactl});
     * {@link NativeSetup} calls this before ND4J loads. A no-op outside Linux.
     */
    static void recordProcessCores() {
        Sched sched = sched();
        if (sched == null) {
            return;
        }
        byte[] mask = new byte[MASK_BYTES];
        if (sched.sched_getaffinity(0, mask.length, mask) == 0) {
            processCores = mask;
        }
    }

    /**
     * Allows the calling thread on the process's cores as recorded at set-up (all cores the
     * kernel lets the process use when none were recorded); returns whether it could. A no-op
     * outside Linux.
     */
    public static boolean allowProcessCores() {
        Sched sched = sched();
        if (sched == null) {
            return false;
        }
        byte[] mask = processCores;
        if (mask == null) {
            mask = new byte[MASK_BYTES];
            Arrays.fill(mask, (byte) 0xff);
        }
        return sched.sched_setaffinity(0, mask.length, mask) == 0;
    }

    private static Sched sched() {
        if (!Platform.isLinux()) {
            return null;
        }
        try {
            return Native.loadLibrary("c", Sched.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null;
        }
    }
}
