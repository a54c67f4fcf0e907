package dev.keiryo.engine.backend;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Sets variables in the process's native environment. OpenMP and OpenBLAS read their thread
 * settings from the environment once, when the native library loads, and Java cannot change its
 * own environment; so the engine sets them through libc before ND4J loads its natives.
 */
final class NativeEnv {
    private NativeEnv() {}

    interface PosixC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    interface WindowsC extends Library {
        int _putenv_s(String name, String value);
    }

    /** Returns true when the variable was set in the native environment. */
    static boolean set(String name, String value) {
        try {
            if (Platform.isWindows()) {
                WindowsC c = Native.loadLibrary("msvcrt", WindowsC.class);
                return c._putenv_s(name, value) == 0;
            }
            PosixC c = Native.loadLibrary("c", PosixC.class);
            return c.setenv(name, value, 1) == 0;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }
}
