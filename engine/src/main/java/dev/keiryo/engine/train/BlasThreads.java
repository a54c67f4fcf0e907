package dev.keiryo.engine.train;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * OpenBLAS's thread count. JavaCPP's {@code blas_set_num_threads} looks up four symbols (MKL's
 * first) on every call, 0.2-0.8 ms a call on a 2-core AMD EPYC, which a step that changes the
 * count twice per phase, or a small inference pass, cannot afford; this looks
 * {@code openblas_set_num_threads} up once.
 */
final class BlasThreads {
    /** The preset's own function-pointer type, whose no-argument constructor is protected. */
    private static final class Setter extends org.bytedeco.openblas.presets.openblas_nolapack.SetNumThreads {
        Setter() {
            super();
        }
    }

    private static final Setter SET = lookup();
    /**
     * The count last set: the preset's getter returns the value its own setter cached, which calls
     * through {@link #SET} do not update.
     */
    private static volatile int current = openblas_nolapack.blas_get_num_threads();

    private BlasThreads() {}

    private static Setter lookup() {
        Loader.load(openblas_nolapack.class);
        Pointer address = Loader.addressof("openblas_set_num_threads");
        if (address == null || address.isNull()) {
            return null;
        }
        Setter s = new Setter();
        s.put(address);
        return s;
    }

    static int get() {
        return current;
    }

    static synchronized void set(int threads) {
        if (SET != null) {
            SET.call(threads);
        } else {
            openblas_nolapack.blas_set_num_threads(threads);
        }
        current = threads;
    }
}
