package dev.keiryo.engine.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.ParallelCompareSpec;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.api.run.RunResult;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.experiment.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One experiment trains the same model single, sync and async: CSV, two charts, a report, a variant each. */
class ParallelCompareStepTest {
    @TempDir
    Path runs;

    @Test
    void singleSyncAndAsyncFromTheSameStart() throws Exception {
        Experiment exp = TrainJobTest.quick("compare", ModelSpec.Preset.LENET300, 1)
                .withSteps(List.of(StepSpec.of(new ParallelCompareSpec(List.of("single", "sync", "async"), 2, 2, 1))));

        RunResult r = assertTimeoutPreemptively(
                Duration.ofMinutes(4), () -> new TrainJob(new RunStore(runs), null, null).run(exp));

        List<Variant> v = r.variants();
        assertEquals(4, v.size(), "v0 and one variant per mode");
        assertEquals(
                List.of("single", "sync", "async"),
                v.subList(1, 4).stream()
                        .map(x -> (String) x.params().get("mode"))
                        .toList());
        v.subList(1, 4).forEach(x -> {
            assertEquals("parallelCompare", x.step());
            assertNull(x.parent(), "trained from the initial weights, not from v0");
            assertTrue(
                    x.metrics().accuracy() > 0.3,
                    x.id() + " learned: " + x.metrics().accuracy());
        });
        List<String> csv = Files.readAllLines(r.runDir().resolve(ParallelCompareStep.CSV));
        assertEquals("mode,epoch,samples_seen,wall_seconds,test_accuracy,test_loss", csv.get(0));
        assertEquals(1 + 3 * 2, csv.size(), "two epochs per mode");
        assertTrue(
                csv.get(2).startsWith("single,2,1080,"),
                "540 examples per epoch (600 less the validation split): " + csv.get(2));
        assertTrue(Files.size(r.runDir().resolve("parallel-compare-time.png")) > 1000);
        assertTrue(Files.size(r.runDir().resolve("parallel-compare-samples.png")) > 1000);
        String report = Files.readString(r.runDir().resolve("parallel-compare.md"));
        assertTrue(report.contains("a speed-up from data parallelism cannot show here"), report);
        assertTrue(report.contains("| sync (v2) | 2 |"), report);
    }
}
