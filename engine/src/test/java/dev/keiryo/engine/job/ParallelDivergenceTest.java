package dev.keiryo.engine.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.ParallelSpec;
import dev.keiryo.engine.api.experiment.TrainSpec;
import dev.keiryo.engine.api.run.RunResult;
import dev.keiryo.engine.api.run.TrainOutcome;
import dev.keiryo.engine.experiment.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A loss that goes to NaN or infinity on data-parallel workers stops the run as it does on one device. */
class ParallelDivergenceTest {
    @TempDir
    Path runs;

    @ParameterizedTest
    @EnumSource(
            value = ParallelSpec.TrainMode.class,
            names = {"SYNC", "ASYNC"})
    void aDivergingDataParallelRunStopsWithASentenceAndWritesNoModel(ParallelSpec.TrainMode mode) throws Exception {
        Experiment d = TrainJobTest.quick("diverge-" + mode.id(), ModelSpec.Preset.LENET300, 2);
        // Raw pixels (0..255) with plain SGD at the largest allowed rate blow up within a few batches.
        Experiment exp = d.withData(d.data().withNormalization(DataSpec.Normalization.NONE))
                .withTrain(d.train()
                        .withOptimizer(TrainSpec.Optimizer.SGD)
                        .withLearningRate(9.5)
                        .withParallel(ParallelSpec.defaults().withMode(mode).withWorkers(2)));

        RunResult job = new TrainJob(new RunStore(runs), null, null).run(exp);

        assertEquals(
                TrainOutcome.DIVERGED, job.training().outcome(), job.training().message());
        String message = job.training().message();
        assertTrue(message.startsWith("training diverged at "), message);
        assertTrue(message.contains("train.learningRate (now 9.5)"), message);
        var status =
                new ObjectMapper().readTree(job.runDir().resolve("status.json").toFile());
        assertEquals("failed", status.get("state").asText());
        assertEquals(message, status.get("message").asText());
        assertFalse(Files.exists(job.runDir().resolve("models/model.zip")), "no model from diverged weights");
    }
}
