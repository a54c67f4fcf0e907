package dev.keiryo.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Function;
import java.util.Optional;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.junit.jupiter.api.Test;

class BlasKernelsTest {
    private static final String AVX512 =
            "fpu sse2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16";

    private static String cpu(String vendor, int family, String flags) {
        String one = "processor\t: %d\nvendor_id\t: %s\ncpu family\t: %d\nmodel\t\t: 17\nflags\t\t: %s\n\n";
        return one.formatted(0, vendor, family, flags) + one.formatted(1, vendor, family, flags);
    }

    @Test
    void zen4WithAvx512GetsTheAvx512Kernels() {
        assertEquals(Optional.of("SkylakeX"), BlasKernels.coreType(cpu("AuthenticAMD", 25, AVX512)));
        assertEquals(Optional.of("SkylakeX"), BlasKernels.coreType(cpu("AuthenticAMD", 26, AVX512)));
    }

    @Test
    void otherCpusKeepOpenBlasOwnChoice() {
        // Zen 3 is family 25 too, without AVX-512
        assertEquals(Optional.empty(), BlasKernels.coreType(cpu("AuthenticAMD", 25, "fpu sse2 avx avx2 fma")));
        assertEquals(Optional.empty(), BlasKernels.coreType(cpu("AuthenticAMD", 23, AVX512)));
        // OpenBLAS 0.3.19 recognises Intel's AVX-512 parts itself
        assertEquals(Optional.empty(), BlasKernels.coreType(cpu("GenuineIntel", 6, AVX512)));
        assertEquals(Optional.empty(), BlasKernels.coreType(""));
        assertEquals(Optional.empty(), BlasKernels.coreType("vendor_id : AuthenticAMD\ncpu family : x\n"));
    }

    /** On a CPU that gets the setting, the OpenBLAS ND4J loads runs the kernels it names. */
    @Test
    void openBlasRunsTheChosenKernels() {
        Optional<String> wanted = BlasKernels.forThisCpu();
        assumeTrue(wanted.isPresent() && System.getenv(BlasKernels.VARIABLE) == null, "nothing chosen here");
        NativeSetup.initialize();
        Loader.load(openblas_nolapack.class);
        long address = Loader.addressof("openblas_get_corename").address();
        String name = Function.getFunction(new com.sun.jna.Pointer(address)).invokeString(new Object[0], false);
        assertEquals(wanted.get().toLowerCase(java.util.Locale.ROOT), name.toLowerCase(java.util.Locale.ROOT));
    }
}
