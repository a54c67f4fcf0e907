package org.nd4j.nativeblas;

/**
 * Compatibility shim for DL4J 1.0.0-M2.1, which checks whether oneDNN is usable by reflecting on
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment#isUseMKLDNN}: a class that ND4J renamed to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment#isUseONEDNN} in the same release.
 * Without this shim the check fails and DL4J never uses its oneDNN layer helpers, which makes
 * convolutional training about 4x slower on CPU. Delete it when DL4J fixes BaseMKLDNNHelper.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {}

    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {}

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance()
                    .isUseONEDNN();
        }
    }
}
