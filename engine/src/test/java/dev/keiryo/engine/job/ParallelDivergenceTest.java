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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A loss that goes to NaN or infinity on data-parallel workers stops the run as it does on one device. */
class ParallelDivergenceTest {
    @TempDir
    Path runs;

    /**
     * Synchronous averaging: raw pixels (0..255) with plain SGD at the largest allowed rate blow up
     * within a few batches. (Asynchronous gradient sharing sends each update as +-threshold, which
     * bounds it, so a high rate alone does not make it diverge; bad data does, below.)
     */
    @Test
    void aTooHighLearningRateInSyncModeStopsWithASentenceAndWritesNoModel() throws Exception {
        Experiment d = TrainJobTest.quick("diverge-sync", ModelSpec.Preset.LENET300, 2);
        Experiment exp = d.withData(d.data().withNormalization(DataSpec.Normalization.NONE))
                .withTrain(d.train()
                        .withOptimizer(TrainSpec.Optimizer.SGD)
                        .withLearningRate(9.5)
                        .withParallel(ParallelSpec.defaults()
                                .withMode(ParallelSpec.TrainMode.SYNC)
                                .withWorkers(2)));

        RunResult job = new TrainJob(new RunStore(runs), null, null).run(exp);

        assertStoppedAndFailed(job, "train.learningRate (now 9.5)");
    }

    /** Values near float's largest overflow the layers: with averaging the loss soon is not finite. */
    @Test
    void extremeValuesInTheDataStopASyncRunWithASentence() throws Exception {
        RunResult job = extremeData(ParallelSpec.TrainMode.SYNC);

        assertStoppedAndFailed(job, "check the data for extreme values");
    }

    /**
     * Asynchronous gradient sharing sends each update as +-threshold and DL4J's cross-entropy clips
     * its probabilities, so the same data keeps the loss finite there (measured: ~15, chance
     * accuracy): the run completes, and what it keeps is finite, never NaN weights.
     */
    @Test
    void extremeValuesInTheDataNeverLeaveNonFiniteWeightsInAnAsyncRun() throws Exception {
        RunResult job = extremeData(ParallelSpec.TrainMode.ASYNC);

        if (job.training().outcome() == TrainOutcome.DIVERGED) {
            assertStoppedAndFailed(job, "check the data for extreme values");
            return;
        }
        assertEquals(
                TrainOutcome.COMPLETED, job.training().outcome(), job.training().message());
        job.training().state().history().forEach(r -> assertTrue(Double.isFinite(r.trainLoss()), r.toString()));
        double sum = dev.keiryo.engine.model.ModelIO.load(job.modelFile())
                .net()
                .params()
                .sumNumber()
                .doubleValue();
        assertTrue(Double.isFinite(sum), "the saved model's weights are finite");
    }

    private RunResult extremeData(ParallelSpec.TrainMode mode) throws Exception {
        StringBuilder csv = new StringBuilder("a,b,c,d,label\n");
        for (int i = 0; i < 256; i++) {
            csv.append(i % 2 == 0 ? "3e38" : "-3e38")
                    .append(",3e38,")
                    .append(i % 7)
                    .append(",-3e38,")
                    .append(i % 3)
                    .append('\n');
        }
        Path file = Files.writeString(runs.resolve("extreme.csv"), csv);
        Experiment d = TrainJobTest.quick("extreme-" + mode.id(), ModelSpec.Preset.MLP, 2);
        Experiment exp = d.withData(d.data()
                        .withSource(DataSpec.Source.CSV)
                        .withPath(file.toString())
                        .withLimitTrain(null)
                        .withNormalization(DataSpec.Normalization.NONE))
                .withTrain(d.train()
                        .withBatchSize(16)
                        .withParallel(ParallelSpec.defaults().withMode(mode).withWorkers(2)));

        return new TrainJob(new RunStore(runs.resolve("store")), null, null).run(exp);
    }

    private static void assertStoppedAndFailed(RunResult job, String advice) throws Exception {
        assertEquals(
                TrainOutcome.DIVERGED,
                job.training().outcome(),
                () -> job.training().message() + " history "
                        + job.training().state().history() + " test " + job.test());
        String message = job.training().message();
        assertTrue(message.startsWith("training diverged at "), message);
        assertTrue(message.contains(advice), message);
        var status =
                new ObjectMapper().readTree(job.runDir().resolve("status.json").toFile());
        assertEquals("failed", status.get("state").asText());
        assertEquals(message, status.get("message").asText());
        assertFalse(Files.exists(job.runDir().resolve("models/model.zip")), "no model from diverged weights");
    }
}
