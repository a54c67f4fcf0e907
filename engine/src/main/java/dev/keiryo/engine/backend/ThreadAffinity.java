package dev.keiryo.engine.backend;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.Arrays;

/**
 * Lets a thread run on any core. With {@code OMP_PROC_BIND=true} (Keiryo's default) OpenMP ties
 * the thread that trains to one core, and Linux hands that tie on to every thread it starts: a
 * helper thread started from it would share its one core with it.
 */
public final class ThreadAffinity {
    private ThreadAffinity() {}

    interface Sched extends Library {
        int sched_setaffinity(int pid, long size, byte[] mask);
    }

    /**
     * Allows the calling thread on every core the process may use (the kernel intersects the mask
     * with the process's own limits); returns whether it could. A no-op outside Linux.
     */
    public static boolean allowAllCores() {
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            byte[] all = new byte[128];
            Arrays.fill(all, (byte) 0xff);
            return Native.loadLibrary("c", Sched.class).sched_setaffinity(0, all.length, all) == 0;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }
}
