package dev.keiryo.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keiryo.engine.api.bench.ParallelRow;
import dev.keiryo.engine.api.bench.SpeedRow;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bench records' builders set each field they name, and the RESULT lines keep the records'
 * fields in order (engine/bench/compare_torch.py reads them by name).
 */
class BenchResultLineTest {
    @Test
    void aSpeedResultFromTheBuilderIsTheRecordAndItsLineHasTheRecordsFields() throws Exception {
        SpeedRow built = SpeedRow.builder()
                .impl("keiryo")
                .model("mlp")
                .dtype("float")
                .batch(128)
                .params(266_610)
                .warmup(200)
                .iters(600)
                .trainSps(1234.5)
                .inferSps(5678.9)
                .inferBatch(512)
                .data("sample")
                .nativeBuild("avx512")
                .helpersActive(true)
                .threads("{OMP_NUM_THREADS=2}")
                .memory("1 GB; jemalloc")
                .build();
        assertEquals(
                new SpeedRow(
                        "keiryo",
                        "mlp",
                        "float",
                        128,
                        266_610,
                        200,
                        600,
                        1234.5,
                        5678.9,
                        512,
                        "sample",
                        "avx512",
                        true,
                        "{OMP_NUM_THREADS=2}",
                        "1 GB; jemalloc"),
                built);
        JsonNode line = Json.MAPPER.readTree(Json.line(built));
        assertEquals(components(SpeedRow.class), names(line));
        assertEquals(5678.9, line.get("inferSps").asDouble());
    }

    @Test
    void aParallelRowFromTheBuilderIsTheRecordAndItsLineHasTheRecordsFields() throws Exception {
        ParallelRow built = ParallelRow.builder()
                .impl("keiryo")
                .model("lenet5")
                .mode("sync")
                .workers(2)
                .averagingFrequency(1)
                .rounds(3)
                .samplesPerSecond(900.5)
                .secondsToTarget(null)
                .roundsReachingTarget(0)
                .targetAccuracy(0.98)
                .finalAccuracy(0.9712)
                .maxEpochs(5)
                .batch(128)
                .data("sample")
                .nativeBuild("avx512")
                .cpuCores(2)
                .build();
        assertEquals(
                new ParallelRow(
                        "keiryo", "lenet5", "sync", 2, 1, 3, 900.5, null, 0, 0.98, 0.9712, 5, 128, "sample", "avx512",
                        2),
                built);
        JsonNode line = Json.MAPPER.readTree(Json.line(built));
        assertEquals(components(ParallelRow.class), names(line));
        assertEquals(true, line.get("secondsToTarget").isNull(), "no round reached the target");
    }

    private static List<String> components(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getName)
                .toList();
    }

    private static List<String> names(JsonNode line) {
        List<String> out = new ArrayList<>();
        line.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
