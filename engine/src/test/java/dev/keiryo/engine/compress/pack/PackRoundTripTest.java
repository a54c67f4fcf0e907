package dev.keiryo.engine.compress.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.KeiryoModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Writing and reading back gives the same network, bit for bit, for every encoding and sparsity. */
class PackRoundTripTest {
    private static final Map<ArchitecturePreset, KeiryoModel> NETS = new ConcurrentHashMap<>();

    @TempDir
    Path dir;

    static KeiryoModel net(ArchitecturePreset p) {
        return NETS.computeIfAbsent(p, TestNets::model);
    }

    @ParameterizedTest(name = "{0} with {1} zeros")
    @CsvSource({
        "LENET300, 0",
        "LENET300, 0.5",
        "LENET300, 0.9",
        "LENET300, 0.99",
        "LENET5, 0",
        "LENET5, 0.5",
        "LENET5, 0.9",
        "LENET5, 0.99",
        "TEACHER, 0",
        "TEACHER, 0.9"
    })
    void everyEncodingRoundTripsExactly(ArchitecturePreset preset, double zeros) {
        KeiryoModel m = TestNets.sparse(net(preset), zeros, 11);
        INDArray x = TestNets.input(preset, 3, 5);
        for (EncodingChoice e : new EncodingChoice[] {
            EncodingChoice.AUTO, EncodingChoice.DENSE, EncodingChoice.SPARSE_BITMASK, EncodingChoice.SPARSE_RELATIVE
        }) {
            Path f = dir.resolve(preset.id() + "-" + zeros + "-" + e.id() + ".kpack");
            PackReport r = PackWriter.write(m, f, PackOptions.defaults().withEncoding(e));
            assertEquals(r.totalBytes(), size(f), "the report's size is the file's size");
            assertTrue(r.exact(), e.id());
            KeiryoModel back = PackReader.read(f);
            TestNets.assertIdentical(m.net(), back.net(), x);
            assertEquals(m.meta().input(), back.meta().input());
            assertEquals(m.meta().classNames(), back.meta().classNames());
            assertEquals(255f, back.meta().normalization().divisor());
        }
    }

    @Test
    void batchNormRunningStatisticsRoundTrip() {
        KeiryoModel m = TestNets.sparse(net(ArchitecturePreset.TEACHER), 0.5, 3);
        Path f = dir.resolve("teacher.kpack");
        PackReport r = PackWriter.write(m, f, PackOptions.defaults());
        KeiryoModel back = PackReader.read(f);
        long bnTensors = r.tensors().stream()
                .filter(t -> t.name().endsWith("_mean") || t.name().endsWith("_log10stdev"))
                .count();
        assertEquals(8, bnTensors, "four BatchNormalization layers, each with mean and log10stdev");
        for (String k : m.net().paramTable().keySet()) {
            if (k.endsWith("_mean") || k.endsWith("_log10stdev")) {
                assertEquals(m.net().getParam(k), back.net().getParam(k), k);
            }
        }
        TestNets.assertIdentical(m.net(), back.net(), TestNets.input(ArchitecturePreset.TEACHER, 2, 9));
    }

    @Test
    void autoPicksDenseWithoutZerosAndSparseAtNinetyPercent() {
        PackReport dense =
                PackWriter.measure(TestNets.sparse(net(ArchitecturePreset.LENET300), 0, 1), PackOptions.defaults());
        assertTrue(
                dense.tensors().stream().allMatch(t -> t.encoding().equals("dense-f32")),
                dense.tensors().toString());
        PackReport sparse =
                PackWriter.measure(TestNets.sparse(net(ArchitecturePreset.LENET300), 0.9, 1), PackOptions.defaults());
        assertTrue(
                sparse.tensors().stream().allMatch(t -> t.encoding().startsWith("sparse-")),
                sparse.tensors().toString());
        for (TensorRow t : sparse.tensors()) {
            assertEquals(Math.round(t.elements() * 0.1), t.nonZeros(), t.name());
        }
        assertEquals(dense.totalBytes(), dense.float32Bytes(), "a dense file is its own baseline");
        assertEquals(dense.float32Bytes(), sparse.float32Bytes(), "same network, same baseline");
    }

    @Test
    void ninetyPercentSparseLeNet300IsUnderAQuarterOfDense() {
        KeiryoModel m = TestNets.sparse(net(ArchitecturePreset.LENET300), 0.9, 2);
        Path dense = dir.resolve("dense.kpack");
        Path sparse = dir.resolve("sparse.kpack");
        PackWriter.write(m, dense, PackOptions.defaults().withEncoding(EncodingChoice.DENSE));
        PackReport r = PackWriter.write(m, sparse, PackOptions.defaults());
        assertTrue(size(sparse) < 0.25 * size(dense), size(sparse) + " vs " + size(dense));
        assertEquals(size(dense), r.float32Bytes());
        assertTrue(r.ratio() > 4, "ratio " + r.ratio());
    }

    @Test
    void maskPruningLeavesNegativeZerosThatStillPackSparse() {
        KeiryoModel m = TestNets.magnitudePruned(net(ArchitecturePreset.LENET300), 0.9);
        assertTrue(
                TestNets.negativeZeros(m.net().getParam("dense1_W")) > 50_000, "pruning by multiplication makes -0.0");
        Path dense = dir.resolve("mask-dense.kpack");
        Path sparse = dir.resolve("mask-sparse.kpack");
        PackWriter.write(m, dense, PackOptions.defaults().withEncoding(EncodingChoice.DENSE));
        PackReport r = PackWriter.write(m, sparse, PackOptions.defaults());
        assertTrue(r.exact());
        assertEquals(23_520, r.tensors().get(0).nonZeros());
        assertTrue(size(sparse) < 0.25 * size(dense), size(sparse) + " vs " + size(dense));
        INDArray x = TestNets.input(ArchitecturePreset.LENET300, 8, 3);
        TestNets.assertIdentical(m.net(), PackReader.read(sparse).net(), x);
        TestNets.assertIdentical(m.net(), PackReader.read(dense).net(), x);
        assertEquals(
                TestNets.negativeZeros(m.net().getParam("dense1_W")),
                TestNets.negativeZeros(PackReader.read(dense).net().getParam("dense1_W")),
                "dense-f32 keeps every bit");
    }

    @Test
    void reportRowsAddUpToTheFile() {
        PackReport r =
                PackWriter.measure(TestNets.sparse(net(ArchitecturePreset.LENET5), 0.5, 4), PackOptions.defaults());
        long rows = r.tensors().stream().mapToLong(TensorRow::bytes).sum();
        assertEquals(r.totalBytes(), PackFormat.PREAMBLE_BYTES + r.configBytes() + r.metaBytes() + 4 + rows + 4);
        TensorRow conv = r.tensors().stream()
                .filter(t -> t.name().equals("conv1_W"))
                .findFirst()
                .orElseThrow();
        assertEquals("20x1x5x5", conv.shapeText());
        assertEquals("float", conv.dataType());
        assertEquals(r.parameters(), net(ArchitecturePreset.LENET5).net().numParams());
    }

    @Test
    void forcedHalfPrecisionIsSmallerAndSaysItIsNotExact() {
        KeiryoModel m = TestNets.sparse(net(ArchitecturePreset.LENET300), 0, 6);
        Path f = dir.resolve("half.kpack");
        PackReport r = PackWriter.write(m, f, PackOptions.defaults().withEncoding(EncodingChoice.DENSE_F16));
        assertFalse(r.exact());
        assertTrue(
                r.tensors().stream().allMatch(t -> t.maxAbsError() > 0 && t.maxAbsError() < 1e-3),
                r.tensors().toString());
        assertTrue(r.ratio() > 1.9, "ratio " + r.ratio());
        INDArray x = TestNets.input(ArchitecturePreset.LENET300, 4, 1);
        INDArray diff = m.net().outputSingle(x).sub(PackReader.read(f).net().outputSingle(x));
        assertTrue(diff.amaxNumber().doubleValue() < 1e-3, diff.toString());
    }

    @Test
    void modelWithoutMetadataRoundTrips() {
        KeiryoModel m = new KeiryoModel(net(ArchitecturePreset.LENET300).net(), null);
        Path f = dir.resolve("nometa.kpack");
        PackReport r = PackWriter.write(m, f, PackOptions.defaults());
        assertEquals(0, r.metaBytes());
        KeiryoModel back = PackReader.read(f);
        assertEquals(null, back.meta());
        assertNotNull(back.net());
        TestNets.assertIdentical(m.net(), back.net(), TestNets.input(ArchitecturePreset.LENET300, 2, 2));
    }

    static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
