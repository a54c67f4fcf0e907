package dev.keiryo.engine.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.FineTuneStepSpec;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.PruneStepSpec;
import dev.keiryo.engine.api.experiment.StepSpec;
import dev.keiryo.engine.api.run.RunResult;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.compress.pack.PackReader;
import dev.keiryo.engine.experiment.RunStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fineTune step: the unpruned control that a pruned variant's fine-tuning is compared with. */
class FineTuneStepTest {
    @TempDir
    Path runs;

    @Test
    void theControlIsTheParentTrainedFurtherAndAPrunedParentStaysSparse() throws Exception {
        Experiment exp = TrainJobTest.quick("control", ModelSpec.Preset.LENET300, 1)
                .withSteps(List.of(
                        StepSpec.of(PruneStepSpec.connection(0.8, 1)),
                        StepSpec.of(FineTuneStepSpec.of(1, "v0")),
                        StepSpec.of(FineTuneStepSpec.of(1, "v1"))));
        RunResult r = new TrainJob(new RunStore(runs), null, null).run(exp);
        List<Variant> v = r.variants();
        assertEquals(4, v.size(), "v0 trained, v1 pruned, v2 and v3 controls");

        Variant control = v.get(2);
        assertEquals("v0", control.parent());
        assertEquals("fine-tune", control.step());
        assertEquals(1, control.params().get("epochs"));
        assertEquals(v.get(0).metrics().parameters(), control.metrics().parameters());
        var before =
                PackReader.read(r.runDir().resolve(v.get(0).modelFile())).net().params();
        var after =
                PackReader.read(r.runDir().resolve(control.modelFile())).net().params();
        assertNotEquals(before, after, "the control's weights moved");
        assertEquals(
                before,
                PackReader.read(r.runDir().resolve(v.get(0).modelFile())).net().params(),
                "the parent is left as it was");

        Variant sparseControl = v.get(3);
        assertEquals("v1", sparseControl.parent());
        assertTrue(
                sparseControl.metrics().sparsity() > 0.75,
                "pruned weights stay zero while a pruned variant trains on: "
                        + sparseControl.metrics().sparsity());
    }
}
