package dev.keiryo.engine.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.data.Normalization;
import dev.keiryo.engine.experiment.DataSpec;
import dev.keiryo.engine.experiment.Experiment;
import dev.keiryo.engine.experiment.ModelSpec;
import dev.keiryo.engine.experiment.RunStore;
import dev.keiryo.engine.model.ModelIO;
import dev.keiryo.engine.train.CancellationToken;
import dev.keiryo.engine.train.TrainOutcome;
import dev.keiryo.engine.train.TrainingEvent;
import dev.keiryo.engine.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resuming runs: what a resume reuses from the run instead of redoing it. */
class ResumeStepsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path runs;

    @Test
    void resumingARunFromALoadedModelKeepsTheModelsNormalization() throws IOException {
        Experiment q = TrainJobTest.quick("standardized", ModelSpec.Preset.LENET300, 1);
        JobResult first = new TrainJob(new RunStore(runs.resolve("a")), null, null)
                .run(q.withData(q.data().withNormalization(DataSpec.Normalization.STANDARDIZE)));
        Normalization own = ModelIO.load(first.modelFile()).meta().normalization();
        assertEquals(Normalization.Kind.STANDARDIZE, own.kind());

        Experiment more = TrainJobTest.quick("more", ModelSpec.Preset.LENET300, 2);
        more = more.withModel(more.model().withLoad(first.modelFile().toString()));
        assertEquals(DataSpec.Normalization.SCALE, more.data().normalization(), "the run's own setting differs");
        CancellationToken token = new CancellationToken();
        TrainingListener cancelInEpoch2 = e -> {
            if (e instanceof TrainingEvent.Iteration it && it.epoch() == 2) {
                token.cancel();
            }
        };
        JobResult stopped = new TrainJob(new RunStore(runs.resolve("b")), cancelInEpoch2, token).run(more);
        assertEquals(TrainOutcome.CANCELLED, stopped.training().outcome());
        Path normalization = stopped.runDir().resolve("normalization.json");
        assertEquals(own, JSON.readValue(normalization.toFile(), Normalization.class), "the run feeds the model's");

        JobResult resumed = new TrainJob(new RunStore(runs.resolve("b")), null, null).resume(stopped.runDir());
        assertEquals(TrainOutcome.COMPLETED, resumed.training().outcome());
        assertEquals(
                own,
                JSON.readValue(normalization.toFile(), Normalization.class),
                "the resumed epochs are fed as the loaded model was trained, not with a refit");
        assertEquals(own, ModelIO.load(resumed.modelFile()).meta().normalization());
    }
}
