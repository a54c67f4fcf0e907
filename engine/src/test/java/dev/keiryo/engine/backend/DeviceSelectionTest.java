package dev.keiryo.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Choosing devices on a CPU-only machine (this one) and on a described machine with two GPUs. */
class DeviceSelectionTest {
    private static final BackendInfo CPU_ONLY = backend(new CudaStatus(false, List.of(), CudaStatus.NOT_IN_BUILD));
    private static final BackendInfo TWO_GPUS = backend(new CudaStatus(
            true, List.of(new Device("cuda:0", "GPU A", 1L << 34), new Device("cuda:1", "GPU B", 1L << 34)), null));

    private static BackendInfo backend(CudaStatus cuda) {
        return new BackendInfo(
                "CPU",
                "linux-x86_64-onednn",
                true,
                true,
                2,
                2,
                Map.of(),
                new NativeMemory(1L << 30, 0, "test", "test"),
                cuda);
    }

    @Test
    void thisMachineHasTheCpuAndSaysWhyNoGpu() {
        BackendInfo b = NativeSetup.initialize();
        assertEquals("cpu", b.devices().get(0).id());
        assertEquals(1, b.devices().size(), "no GPU here");
        assertTrue(b.cuda().reason().contains("-Pcuda"), b.cuda().reason());
    }

    @Test
    void automaticIsEveryGpuElseTheCpu() {
        assertEquals(List.of("cpu"), ids(DeviceSelection.select(CPU_ONLY, List.of(), false, "--devices")));
        assertEquals(List.of("cuda:0", "cuda:1"), ids(DeviceSelection.select(TWO_GPUS, List.of(), false, "--devices")));
        assertNull(
                DeviceSelection.select(CPU_ONLY, List.of(), false, "--devices").notice(),
                "nothing was asked, nothing to say");
    }

    @Test
    void gpusAskedForWithoutAUsableOneFallBackWithOneLine() {
        DeviceSelection s = DeviceSelection.select(CPU_ONLY, List.of("cuda"), true, "--devices");
        assertEquals(List.of("cpu"), ids(s));
        assertEquals(1, s.notice().lines().count());
        assertTrue(
                s.notice().startsWith("no usable CUDA GPU: this Keiryo was built without the CUDA backend"),
                s.notice());
        assertTrue(s.notice().contains("training on the CPU instead"), s.notice());
    }

    @Test
    void orFailWithThatSentence() {
        KeiryoException e = assertThrows(
                KeiryoException.class, () -> DeviceSelection.select(CPU_ONLY, List.of("cuda:0"), false, "--devices"));
        assertTrue(e.getMessage().startsWith("no usable CUDA GPU"), e.getMessage());
        assertTrue(e.getMessage().contains("--devices cpu"), e.getMessage());
    }

    @Test
    void aGpuThatDoesNotExistIsAnError() {
        KeiryoException e = assertThrows(
                KeiryoException.class, () -> DeviceSelection.select(TWO_GPUS, List.of("cuda:3"), true, "--devices"));
        assertEquals("--devices names cuda:3, which does not exist; this machine has cuda:0, cuda:1.", e.getMessage());
        assertEquals(List.of("cuda:1"), ids(DeviceSelection.select(TWO_GPUS, List.of("gpu:1"), true, "--devices")));
    }

    @Test
    void malformedAndMixedDevicesAreErrors() {
        assertThrows(KeiryoException.class, () -> DeviceSelection.select(TWO_GPUS, List.of("tpu"), true, "--devices"));
        KeiryoException e = assertThrows(
                KeiryoException.class,
                () -> DeviceSelection.select(TWO_GPUS, List.of("cpu", "cuda:0"), true, "--devices"));
        assertTrue(e.getMessage().contains("mixes the CPU with GPUs"), e.getMessage());
        assertEquals(List.of("cpu"), ids(DeviceSelection.select(TWO_GPUS, List.of("CPU"), true, "--devices")));
    }

    private static List<String> ids(DeviceSelection s) {
        return s.devices().stream().map(Device::id).toList();
    }
}
