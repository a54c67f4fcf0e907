package dev.keiryo.engine.onnx.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.bench.BenchRow;
import dev.keiryo.engine.api.bench.OnnxBenchRequest;
import dev.keiryo.engine.api.bench.OnnxProfileRow;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.onnx.ort.OrtProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keiryo bench --onnx --profile}: ONNX Runtime's per-node traces, summed by operator type. */
class OnnxProfileTest {
    @Test
    void profilesBothExportsIntoPerOperatorSums(@TempDir Path dir) throws Exception {
        Path zip = ExportFixtures.save(
                ExportFixtures.model(
                        ArchitecturePreset.LENET5, 0.5, new InputShape(1, 28, 28), 10, Normalizer.scale(255f)),
                dir,
                "lenet5.zip");
        Path traces = dir.resolve("profile");
        List<BenchRow> rows = new ArrayList<>();
        OnnxBench.run(new OnnxBenchRequest(zip, "sample", null, 64, 1, 1, traces), rows::add, note -> {});

        List<OnnxProfileRow> profile = rows.stream()
                .filter(OnnxProfileRow.class::isInstance)
                .map(OnnxProfileRow.class::cast)
                .toList();
        Map<String, Map<String, Double>> byFormat = profile.stream()
                .collect(Collectors.groupingBy(
                        OnnxProfileRow::format, Collectors.toMap(OnnxProfileRow::operator, OnnxProfileRow::millis)));
        assertTrue(byFormat.get("float32").get("Conv") > 0, "float32 operators " + byFormat.get("float32"));
        assertFalse(byFormat.get("float32").containsKey("QLinearConv"), "float32 " + byFormat.get("float32"));
        assertTrue(byFormat.get("int8").get("QLinearConv") > 0, "int8 operators " + byFormat.get("int8"));
        assertTrue(byFormat.get("int8").get("QuantizeLinear") > 0, "int8 operators " + byFormat.get("int8"));
        assertFalse(byFormat.get("int8").containsKey("Conv"), "int8 " + byFormat.get("int8"));
        for (String format : List.of("float32", "int8")) {
            List<OnnxProfileRow> own =
                    profile.stream().filter(p -> p.format().equals(format)).toList();
            double kernels = own.stream().mapToDouble(OnnxProfileRow::millis).sum();
            double run = own.get(0).runMillis();
            // The kernels run one after another inside each run: together they fill most of it and never more.
            assertTrue(kernels > 0 && kernels <= run, format + ": kernels " + kernels + " ms of a " + run + " ms run");
            assertTrue(own.stream().allMatch(p -> p.runs() == 20 && p.threads() == 1 && p.batch() > 1), format);
        }
        assertEquals(
                "quantize",
                profile.stream()
                        .filter(p -> p.operator().equals("QuantizeLinear"))
                        .findFirst()
                        .orElseThrow()
                        .kind());
        try (Stream<Path> files = Files.list(traces)) {
            assertEquals(2, files.filter(f -> f.toString().endsWith(".json")).count(), "one trace per format");
        }
    }

    @Test
    void aTraceWithoutARunAfterTheWarmUpIsRefused(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("one-run.json");
        Files.writeString(
                trace,
                "[{\"cat\":\"Session\",\"name\":\"model_run\",\"ts\":10,\"dur\":500},"
                        + "{\"cat\":\"Node\",\"name\":\"c_kernel_time\",\"ts\":20,\"dur\":400,"
                        + "\"args\":{\"op_name\":\"Conv\"}}]");
        KeiryoException e = assertThrows(KeiryoException.class, () -> OrtProfile.read(trace));
        assertTrue(e.getMessage().contains("at least two"), e.getMessage());
    }
}
