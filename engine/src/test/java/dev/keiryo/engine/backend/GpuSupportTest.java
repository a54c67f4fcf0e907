package dev.keiryo.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GPUs ND4J's CUDA kernels can and cannot drive, on described machines. */
class GpuSupportTest {
    private static final Gpu K80 = new Gpu(0, "Tesla K80", 3, 7);
    private static final Gpu K20 = new Gpu(0, "Tesla K20m", 3, 5);
    private static final Gpu A100 = new Gpu(0, "NVIDIA A100-SXM4-40GB", 8, 0);
    private static final Gpu RTX4090 = new Gpu(1, "NVIDIA GeForce RTX 4090", 8, 9);
    private static final Gpu H100 = new Gpu(0, "NVIDIA H100 80GB HBM3", 9, 0);
    private static final Gpu B200 = new Gpu(1, "NVIDIA B200", 10, 0);

    @Test
    void keplerK80ToAdaAreSupported() {
        for (Gpu g : List.of(K80, A100, RTX4090, new Gpu(0, "Tesla V100", 7, 0), new Gpu(0, "T4", 7, 5))) {
            assertTrue(GpuSupport.supported(g), g.describe());
        }
        assertNull(GpuSupport.problem(List.of(A100, RTX4090)));
    }

    @Test
    void hopperAndBlackwellAreNamedWithWhatIsSupported() {
        String why = GpuSupport.problem(List.of(H100, B200));
        assertEquals(
                "GPU 0 (NVIDIA H100 80GB HBM3, compute capability 9.0), GPU 1 (NVIDIA B200, compute capability 10.0)"
                        + " are not supported by the CUDA kernels of ND4J 1.0.0-M2.1, which cover "
                        + GpuSupport.SUPPORTED,
                why);
    }

    @Test
    void keplerBeforeK80IsTooOld() {
        assertTrue(GpuSupport.problem(List.of(K20)).startsWith("GPU 0 (Tesla K20m, compute capability 3.5) is not"));
    }

    @Test
    void aMixTellsHowToHideTheUnsupportedOnes() {
        String why = GpuSupport.problem(List.of(H100, RTX4090));
        assertTrue(why.startsWith("GPU 0 (NVIDIA H100 80GB HBM3, compute capability 9.0) is not supported"), why);
        assertTrue(why.endsWith("start Keiryo with CUDA_VISIBLE_DEVICES=1"), why);
    }

    @Test
    void anUnsupportedGpuFallsBackToTheCpuOrStopsWithItsSentence() {
        String why = GpuSupport.problem(List.of(H100));
        BackendInfo b = new BackendInfo(
                "CPU",
                "linux-x86_64-onednn",
                true,
                true,
                2,
                2,
                Map.of(),
                new NativeMemory(1L << 30, 0, "test", "test"),
                new CudaStatus(true, List.of(), why));

        DeviceSelection s = DeviceSelection.select(b, List.of("cuda"), true, "--devices");
        assertEquals(List.of("cpu"), s.devices().stream().map(Device::id).toList());
        assertTrue(s.notice().contains("H100") && s.notice().contains("training on the CPU instead"), s.notice());

        KeiryoException e = assertThrows(
                KeiryoException.class, () -> DeviceSelection.select(b, List.of("cuda:0"), false, "--devices"));
        assertTrue(e.getMessage().contains("compute capability 9.0"), e.getMessage());
        assertTrue(e.getMessage().contains("--devices cpu"), e.getMessage());
    }

    @Test
    void theCudaBackendIsHiddenFromNd4jsServiceSearch(@TempDir Path dir) throws IOException {
        URL cpu = serviceFile(dir.resolve("cpu"), "org.nd4j.linalg.cpu.nativecpu.CpuBackend");
        serviceFile(dir.resolve("cuda"), CudaProbe.BACKEND_CLASS);
        try (URLClassLoader jars = new URLClassLoader(
                new URL[] {
                    dir.resolve("cpu").toUri().toURL(),
                    dir.resolve("cuda").toUri().toURL()
                },
                null)) {
            assertEquals(
                    2,
                    Collections.list(jars.getResources(CpuOnlyBackend.SERVICE)).size());
            List<URL> seen = Collections.list(new CpuOnlyBackend.Hiding(jars).getResources(CpuOnlyBackend.SERVICE));
            assertEquals(List.of(cpu), seen);
        }
    }

    private static URL serviceFile(Path root, String backend) throws IOException {
        Path f = root.resolve(CpuOnlyBackend.SERVICE);
        Files.createDirectories(f.getParent());
        Files.writeString(f, backend + "\n", StandardCharsets.UTF_8);
        return f.toUri().toURL();
    }
}
